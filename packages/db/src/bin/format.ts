import type { CreatedMigration, DeployResult, MigrationStatus } from '../migrate/index.ts';

// Operator-facing lines: Chinese first, English in brackets.

function listLines(title: string, names: string[]): string[] {
  return names.length === 0 ? [] : [title, ...names.map((name) => `  - ${name}`)];
}

export function formatDeploy(database: string, result: DeployResult): string[] {
  const lines: string[] = [];
  if (result.createdDatabase) lines.push(`已创建数据库 ${database} (created database)`);
  if (result.applied.length === 0) {
    lines.push('数据库已是最新，没有待应用的迁移 (database is up to date, no pending migration)');
  } else {
    lines.push(`已应用 ${result.applied.length} 个迁移 (applied ${result.applied.length} migration(s)):`);
    lines.push(...result.applied.map((name) => `  - ${name}`));
  }
  lines.push(...listLines('警告: 以下已应用的迁移文件已被修改 (warning: applied migrations modified since):', result.modified));
  return lines;
}

export function formatStatus(database: string, status: MigrationStatus): string[] {
  if (!status.databaseExists) {
    return [
      `数据库不存在 (database does not exist): ${database}`,
      `本地迁移 ${status.local.length} 个，全部待应用 (${status.local.length} local migration(s), all pending)`,
      '修复: 运行 npm run db:migrate (fix: run npm run db:migrate)',
    ];
  }
  const lines = [
    `数据库 (database): ${database}`,
    `本地迁移 ${status.local.length} 个，已应用 ${status.applied.length} 个，待应用 ${status.pending.length} 个 ` +
      `(${status.local.length} local, ${status.applied.length} applied, ${status.pending.length} pending)`,
    ...listLines('待应用 (pending):', status.pending),
    ...listLines('失败 (failed):', status.failed),
    ...listLines('应用后被修改 (modified after being applied):', status.modified),
    ...listLines('数据库中有但本地没有 (applied but missing locally):', status.missingLocally),
  ];
  if (status.pending.length > 0) lines.push('修复: 运行 npm run db:migrate (fix: run npm run db:migrate)');
  return lines;
}

export function formatCreated(created: CreatedMigration): string[] {
  const lines = [
    ...listLines('先应用了待应用的迁移 (applied pending migrations first):', created.appliedFirst),
    `已创建迁移 ${created.name} (created migration, not applied): ${created.scriptPath}`,
  ];
  if (created.steps === 0) {
    lines.push('schema.prisma 没有变化，迁移为空，可手写 SQL (no schema change; the migration is empty for hand-written SQL)');
  }
  lines.push(...listLines('数据丢失警告 (data loss warnings):', created.warnings));
  lines.push(...listLines('无法在当前数据上执行的步骤 (steps that cannot run on the current data):', created.unexecutable));
  lines.push('下一步: 检查 SQL 后运行 npm run db:migrate (next: review the SQL, then run npm run db:migrate)');
  return lines;
}
