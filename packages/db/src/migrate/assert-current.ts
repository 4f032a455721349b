import { redactUrl } from './database-url.ts';
import { MigrationsNotCurrentError } from './errors.ts';
import type { MigrationPaths } from './options.ts';
import { migrationStatus, type MigrationStatus } from './status.ts';

/**
 * Throws MigrationsNotCurrentError when the database is missing, has pending migrations or
 * failed ones. Returns the status otherwise, so the caller can log what is unusual but
 * harmless: modified migrations, or migrations from a newer release.
 */
export async function assertMigrationsCurrent(databaseUrl: string, paths?: MigrationPaths): Promise<MigrationStatus> {
  const status = await migrationStatus(databaseUrl, paths);
  if (!status.databaseExists || status.pending.length > 0 || status.failed.length > 0) {
    throw new MigrationsNotCurrentError(redactUrl(databaseUrl), status);
  }
  return status;
}
