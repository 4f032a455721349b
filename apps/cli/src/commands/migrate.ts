import { parseCliMigrateEnv } from '@student-sync/config';
import { Command } from 'commander';
import { CliServiceError } from '../cli-error.ts';

export function migrateCommand(): Command {
  return new Command('migrate')
    .summary('执行数据库迁移 (apply database migrations)')
    .description(
      '把 prisma/migrations 中尚未执行的迁移应用到 DATABASE_URL 指向的数据库, 数据库不存在时先创建. 与 prisma migrate deploy 等效, 无需联网.\n' +
        'Applies pending migrations from prisma/migrations to DATABASE_URL, creating the database when missing.',
    )
    .action(async () => {
      const env = parseCliMigrateEnv(process.env);
      // Loaded on use: the schema engine is large, and other commands do not need it.
      const { describeConnectError, migrateDeploy, redactUrl } = await import('@student-sync/db/migrate');
      process.stderr.write(`迁移数据库 ${redactUrl(env.DATABASE_URL)} ...\n`);
      const result = await migrateDeploy(env.DATABASE_URL).catch((error: unknown) => {
        const unreachable = describeConnectError(error);
        throw unreachable === undefined ? error : new CliServiceError(unreachable);
      });

      if (result.createdDatabase) process.stdout.write('数据库不存在, 已创建 (database created)\n');
      if (result.applied.length === 0) process.stdout.write('没有待执行的迁移, 数据库已是最新 (database is up to date)\n');
      for (const name of result.applied) process.stdout.write(`已执行 (applied) ${name}\n`);
      for (const name of result.modified) {
        process.stdout.write(`警告: 迁移 ${name} 执行后其 migration.sql 被修改过, 本次未重新执行 (migration edited after it was applied)\n`);
      }
    });
}
