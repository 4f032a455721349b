import type { MigrationStatus } from './status.ts';

/** An error the schema engine reported, with its Prisma error code (e.g. P3009) when it has one. */
export class MigrationEngineError extends Error {
  override readonly name = 'MigrationEngineError';

  constructor(
    message: string,
    readonly code: string | undefined,
    cause?: unknown,
  ) {
    super(code ? `${code}: ${message}` : message, { cause });
  }
}

/** Thrown at process start when the database schema is behind the code. */
export class MigrationsNotCurrentError extends Error {
  override readonly name = 'MigrationsNotCurrentError';

  constructor(
    readonly databaseUrl: string,
    readonly status: MigrationStatus,
  ) {
    super(describeNotCurrent(databaseUrl, status));
  }
}

function describeNotCurrent(databaseUrl: string, status: MigrationStatus): string {
  if (!status.databaseExists) {
    return `数据库不存在 (database does not exist): ${databaseUrl}. Fix: run \`npm run db:migrate\`, which creates it and applies all migrations.`;
  }
  const lines = [`数据库结构不是最新 (database schema is not up to date): ${databaseUrl}`];
  if (status.pending.length > 0) lines.push(`  pending migrations: ${status.pending.join(', ')}`);
  if (status.failed.length > 0) lines.push(`  failed migrations: ${status.failed.join(', ')}`);
  lines.push(
    status.failed.length > 0
      ? 'Fix: repair the failed migration (see `npm run db:status`), then run `npm run db:migrate`.'
      : 'Fix: run `npm run db:migrate`.',
  );
  return lines.join('\n');
}

/** Thrown by the check when `schema.prisma` describes a database the migrations do not produce. */
export class SchemaWithoutMigrationError extends Error {
  override readonly name = 'SchemaWithoutMigrationError';

  constructor(readonly diff: string) {
    super(
      [
        'schema.prisma 与迁移不一致 (schema.prisma differs from what the migrations produce):',
        diff.trimEnd(),
        'Fix: run `npm run db:migrate:create -- <name>` and commit the new migration folder.',
      ].join('\n'),
    );
  }
}

/** Thrown by createMigration for a name that cannot be part of a migration folder name. */
export class InvalidMigrationNameError extends Error {
  override readonly name = 'InvalidMigrationNameError';

  constructor(readonly migrationName: string) {
    super(`invalid migration name ${JSON.stringify(migrationName)}: use 1-200 letters, digits or underscores, e.g. add_student_email`);
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Describes a failed connection to PostgreSQL in one line that names DATABASE_URL, or returns
 * undefined for any other error. The pg driver reports these as plain Node.js network errors.
 */
export function describeConnectError(error: unknown): string | undefined {
  const network = error as (NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }) | undefined;
  if (!(error instanceof Error) || network?.code === undefined || !CONNECT_CODES.has(network.code)) return undefined;
  const where = network.address !== undefined ? `${network.address}:${network.port ?? ''}` : (network.hostname ?? '');
  return `无法连接 PostgreSQL ${where} (${network.code}). 请确认 PostgreSQL 在运行, 并检查 DATABASE_URL`;
}
