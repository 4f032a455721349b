import path from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { ensureDatabase } from './database-url.ts';
import { readSchemaFile, withEngine, type EngineSession } from './engine.ts';
import { InvalidMigrationNameError, MigrationEngineError } from './errors.ts';
import { readMigrationList, writeMigration } from './migrations-dir.ts';
import { noExternalEntities, resolvePaths, type MigrationPaths } from './options.ts';

export interface CreatedMigration {
  /** Folder name, `<yyyyMMddHHmmss>_<name>`. */
  name: string;
  /** Path of the new `migration.sql`. */
  scriptPath: string;
  /** Schema changes in the new migration; 0 means an empty migration for hand-written SQL. */
  steps: number;
  /** Pending migrations applied to the database before the new one was generated. */
  appliedFirst: string[];
  /** Data-loss warnings the engine raised for the new migration. */
  warnings: string[];
  /** Steps that cannot run on the database as it is (e.g. a required column on a table with rows). */
  unexecutable: string[];
}

const migrationNamePattern = /^[A-Za-z0-9_]{1,200}$/;

/**
 * Writes the next migration for the changes in `schema.prisma`, like
 * `prisma migrate dev --create-only`. It first applies pending migrations to the development
 * database in `databaseUrl`, creating it if missing. The engine then generates the script by
 * replaying the migrations on a throwaway shadow database on the same server. The new
 * migration is written but not applied.
 */
export async function createMigration(
  databaseUrl: string,
  name: string,
  paths?: MigrationPaths,
): Promise<CreatedMigration> {
  if (!migrationNamePattern.test(name)) {
    throw new InvalidMigrationNameError(name);
  }
  const { schemaPath, migrationsDir } = resolvePaths(paths);
  const schema = await readSchemaFile(schemaPath);

  await ensureDatabase(databaseUrl);
  return withEngine(databaseUrl, async (session) => {
    const appliedFirst = await applyPendingForDev(session, migrationsDir);

    // Read the folder again, because the engine needs the list as it is when it generates.
    const list = await readMigrationList(migrationsDir);
    const loss = await session.call((engine) =>
      engine.evaluateDataLoss({ migrationsList: list, schema: { files: [schema] }, filters: noExternalEntities }),
    );
    const created = await session.call((engine: SchemaEngine) =>
      engine.createMigration({
        draft: true,
        migrationName: name,
        migrationsList: list,
        schema: { files: [schema] },
        filters: noExternalEntities,
      }),
    );
    if (created.migrationScript === null) throw new MigrationEngineError('schema engine generated no migration script', undefined);

    const scriptPath = await writeMigration(migrationsDir, created.generatedMigrationName, created.migrationScript, created.connectorType);
    return {
      name: path.basename(path.dirname(scriptPath)),
      scriptPath,
      steps: loss.migrationSteps,
      appliedFirst,
      warnings: loss.warnings.map((warning) => warning.message),
      unexecutable: loss.unexecutableSteps.map((step) => step.message),
    };
  });
}

/**
 * Runs the first half of `migrate dev`. It stops if the development database has drifted
 * from the migrations, where the CLI would offer a reset that this tool never does. Otherwise
 * it applies what is pending and checks again.
 */
async function applyPendingForDev(session: EngineSession, migrationsDir: string): Promise<string[]> {
  await assertNoResetNeeded(session, migrationsDir);
  const list = await readMigrationList(migrationsDir);
  const { appliedMigrationNames } = await session.call((engine) =>
    engine.applyMigrations({ migrationsList: list, filters: noExternalEntities }),
  );
  await assertNoResetNeeded(session, migrationsDir);
  return appliedMigrationNames;
}

async function assertNoResetNeeded(session: EngineSession, migrationsDir: string): Promise<void> {
  const list = await readMigrationList(migrationsDir);
  const { action } = await session.call((engine) =>
    engine.devDiagnostic({ migrationsList: list, filters: noExternalEntities }),
  );
  if (action.tag === 'reset') {
    throw new MigrationEngineError(
      `development database must be reset before a migration can be created: ${action.reason}. ` +
        'Fix: drop and recreate the database named in DATABASE_URL (development only), then run the command again.',
      undefined,
    );
  }
}
