import { createThrowawayDatabase, dropDatabase } from './database-url.ts';
import { readSchemaFile, withEngine } from './engine.ts';
import { SchemaWithoutMigrationError } from './errors.ts';
import { readMigrationList } from './migrations-dir.ts';
import { noExternalEntities, resolvePaths, type MigrationPaths } from './options.ts';

/** `diff` sets exitCode 2 when the two schemas differ and exitCode was requested. */
const DIFF_FOUND_EXIT_CODE = 2;

/**
 * Throws SchemaWithoutMigrationError, with the engine's summary of the difference, when
 * `schema.prisma` describes another database than replaying every migration produces.
 * The check creates and drops two throwaway databases on the server of `serverUrl`, one for
 * the engine's main connection and one to replay the migrations in. It never opens the
 * database that `serverUrl` names.
 */
export async function checkSchemaHasMigration(serverUrl: string, paths?: MigrationPaths): Promise<void> {
  const { schemaPath, migrationsDir } = resolvePaths(paths);
  const schema = await readSchemaFile(schemaPath);
  const list = await readMigrationList(migrationsDir);

  const scratchUrl = await createThrowawayDatabase(serverUrl, 'check');
  try {
    const result = await withEngine(scratchUrl, (session) =>
      session.call((engine) =>
        engine.diff({
          // With no migration at all, everything in the schema is missing one.
          from: list.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...list },
          to: { tag: 'schemaDatamodel', files: [schema] },
          script: false,
          exitCode: true,
          filters: noExternalEntities,
        }),
      ),
    );
    if (result.exitCode === DIFF_FOUND_EXIT_CODE) throw new SchemaWithoutMigrationError(result.stdout ?? '');
  } finally {
    await dropDatabase(scratchUrl);
  }
}
