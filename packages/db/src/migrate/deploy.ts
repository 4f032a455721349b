import { ensureDatabase } from './database-url.ts';
import { withEngine } from './engine.ts';
import { MigrationEngineError } from './errors.ts';
import { readMigrationList } from './migrations-dir.ts';
import { noExternalEntities, resolvePaths, type MigrationPaths } from './options.ts';
import { migrationStatus } from './status.ts';

export interface DeployResult {
  /** True when the database named in the URL did not exist and was created. */
  createdDatabase: boolean;
  /** Migrations applied by this call, oldest first; empty when the database was current. */
  applied: string[];
  /** Applied migrations whose `migration.sql` has changed since; deploy applies nothing for them. */
  modified: string[];
}

/**
 * Applies pending migrations from `prisma/migrations`, as `prisma migrate deploy` does: the
 * schema engine takes `pg_advisory_lock(72707369)`, runs each `migration.sql` and records it in
 * `_prisma_migrations` with the same checksum. Creates the database first when it is missing.
 * Stops on a failed migration (engine error P3009) instead of applying later ones.
 */
export async function migrateDeploy(databaseUrl: string, paths?: MigrationPaths): Promise<DeployResult> {
  const { migrationsDir } = resolvePaths(paths);
  const list = await readMigrationList(migrationsDir);
  if (list.migrationDirectories.length === 0) {
    throw new Error(`no migrations found in ${migrationsDir}; the folder must contain <timestamp>_<name>/migration.sql`);
  }

  const createdDatabase = await ensureDatabase(databaseUrl);
  const { appliedMigrationNames, editedMigrationNames } = await withEngine(databaseUrl, async (session) => {
    const diagnosis = await session.call((engine) =>
      engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: noExternalEntities }),
    );
    const applied = await session.call((engine) =>
      engine.applyMigrations({ migrationsList: list, filters: noExternalEntities }),
    );
    return { ...applied, editedMigrationNames: diagnosis.editedMigrationNames };
  });

  await verifyNothingPending(databaseUrl, paths);
  return { createdDatabase, applied: appliedMigrationNames, modified: editedMigrationNames };
}

/** Reads the result back, so a deploy that silently applied nothing cannot pass as success. */
async function verifyNothingPending(databaseUrl: string, paths?: MigrationPaths): Promise<void> {
  const status = await migrationStatus(databaseUrl, paths);
  if (status.pending.length > 0 || status.failed.length > 0) {
    const problems = [...status.pending.map((name) => `${name} (pending)`), ...status.failed.map((name) => `${name} (failed)`)];
    throw new MigrationEngineError(`migrations not applied after deploy: ${problems.join(', ')}`, undefined);
  }
}
