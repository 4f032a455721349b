import pg from 'pg';
import type { DiagnoseMigrationHistoryOutput, HistoryDiagnostic } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { databaseExists } from './database-url.ts';
import { withEngine } from './engine.ts';
import { migrationNames, readMigrationList } from './migrations-dir.ts';
import { noExternalEntities, resolvePaths, type MigrationPaths } from './options.ts';

/** Comparison of the migrations folder with the `_prisma_migrations` table of one database. */
export interface MigrationStatus {
  databaseExists: boolean;
  /** Migration folders in `prisma/migrations`, oldest first. */
  local: string[];
  /** Migrations recorded as finished and not rolled back, in the order they were applied. */
  applied: string[];
  /** Local migrations the database has not applied yet. */
  pending: string[];
  /** Migrations that started and failed; `prisma migrate resolve` or a fix by hand is needed. */
  failed: string[];
  /** Applied migrations whose `migration.sql` changed since (checksum mismatch). */
  modified: string[];
  /** Migrations the database applied that have no folder here, e.g. from a newer release. */
  missingLocally: string[];
}

/** Compares the migrations folder with the database in `databaseUrl`, without changing either. */
export async function migrationStatus(databaseUrl: string, paths?: MigrationPaths): Promise<MigrationStatus> {
  const { migrationsDir } = resolvePaths(paths);
  const list = await readMigrationList(migrationsDir);
  const local = migrationNames(list);

  if (!(await databaseExists(databaseUrl))) {
    return { databaseExists: false, local, applied: [], pending: local, failed: [], modified: [], missingLocally: [] };
  }

  const diagnosis = await withEngine(databaseUrl, (session) =>
    session.call((engine) =>
      engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: noExternalEntities }),
    ),
  );
  const applied = diagnosis.hasMigrationsTable ? await readAppliedMigrations(databaseUrl) : [];
  return { databaseExists: true, local, applied, ...fromDiagnosis(diagnosis) };
}

function fromDiagnosis(
  diagnosis: DiagnoseMigrationHistoryOutput,
): Pick<MigrationStatus, 'pending' | 'failed' | 'modified' | 'missingLocally'> {
  return {
    pending: unappliedNames(diagnosis.history),
    failed: diagnosis.failedMigrationNames,
    modified: diagnosis.editedMigrationNames,
    missingLocally: unpersistedNames(diagnosis.history),
  };
}

function unappliedNames(history: HistoryDiagnostic | null): string[] {
  if (history?.diagnostic === 'databaseIsBehind' || history?.diagnostic === 'historiesDiverge') {
    return history.unappliedMigrationNames;
  }
  return [];
}

function unpersistedNames(history: HistoryDiagnostic | null): string[] {
  if (history?.diagnostic === 'migrationsDirectoryIsBehind' || history?.diagnostic === 'historiesDiverge') {
    return history.unpersistedMigrationNames;
  }
  return [];
}

async function readAppliedMigrations(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
       ORDER BY started_at, migration_name`,
    );
    return result.rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}
