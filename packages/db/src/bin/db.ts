import { existsSync } from 'node:fs';
import { Command } from 'commander';
import dotenv from 'dotenv';
import { describeConnectError } from '../migrate/errors.ts';
import { runPrismaGenerate } from './generate.ts';

// `generate` runs from the root postinstall. This file imports the migration code and the
// shared config only inside the other commands, so a broken workspace package cannot break it.

// Variables already set in the environment win over the .env file of the working directory.
if (existsSync('.env')) dotenv.config({ path: '.env', quiet: true, override: false });

async function databaseUrl(): Promise<string> {
  const { parseDbToolEnv } = await import('@student-sync/config');
  return parseDbToolEnv(process.env).DATABASE_URL;
}

const loadMigrate = () => import('../migrate/index.ts');
const loadFormat = () => import('./format.ts');

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

const program = new Command('db')
  .description('数据库工具: 生成 Prisma 客户端与管理迁移 (database tool: Prisma client generation and migrations)')
  .showHelpAfterError();

program
  .command('generate')
  .description('生成 Prisma 客户端, 不联网 (generate the Prisma client, offline)')
  .action(() => {
    process.exitCode = runPrismaGenerate();
  });

program
  .command('deploy')
  .description('创建数据库(若不存在)并应用待应用的迁移 (create the database if missing and apply pending migrations)')
  .action(async () => {
    const [url, { migrateDeploy, redactUrl }, { formatDeploy }] = await Promise.all([databaseUrl(), loadMigrate(), loadFormat()]);
    print(formatDeploy(redactUrl(url), await migrateDeploy(url)));
  });

program
  .command('status')
  .description('显示已应用、待应用与失败的迁移; 不是最新时退出码为 1 (show migrations; exit status 1 when not up to date)')
  .action(async () => {
    const [url, { migrationStatus, redactUrl }, { formatStatus }] = await Promise.all([databaseUrl(), loadMigrate(), loadFormat()]);
    const status = await migrationStatus(url);
    print(formatStatus(redactUrl(url), status));
    if (!status.databaseExists || status.pending.length > 0 || status.failed.length > 0) process.exitCode = 1;
  });

program
  .command('create')
  .argument('<name>', '迁移名, 字母数字下划线 (migration name: letters, digits, underscores)')
  .description('按 schema.prisma 的变化生成下一个迁移, 不应用 (write the next migration for schema.prisma changes, without applying it)')
  .action(async (name: string) => {
    const [url, { createMigration }, { formatCreated }] = await Promise.all([databaseUrl(), loadMigrate(), loadFormat()]);
    print(formatCreated(await createMigration(url, name)));
  });

program
  .command('check')
  .description('检查 schema.prisma 的每个变化都有迁移 (check that every schema.prisma change has a migration)')
  .action(async () => {
    const [url, { checkSchemaHasMigration }] = await Promise.all([databaseUrl(), loadMigrate()]);
    await checkSchemaHasMigration(url);
    print(['schema.prisma 与迁移一致 (schema.prisma matches the migrations)']);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** Prints a failure for the operator and returns the exit status: 2 for configuration, 1 otherwise. */
function reportError(error: unknown): number {
  if (error instanceof Error && error.name === 'ConfigError') {
    process.stderr.write(`配置错误 (configuration error): ${error.message}\n`);
    return 2;
  }
  const unreachable = describeConnectError(error);
  if (unreachable !== undefined) {
    process.stderr.write(`失败 (failed): ${unreachable}\n`);
    return 1;
  }
  const expected = ['SchemaWithoutMigrationError', 'MigrationEngineError', 'MigrationsNotCurrentError', 'InvalidMigrationNameError'];
  if (error instanceof Error && expected.includes(error.name)) {
    process.stderr.write(`失败 (failed): ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`失败 (failed): ${message}\n`);
  return 1;
}
