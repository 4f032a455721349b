import type { SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { defaultMigrationsDir, defaultSchemaPath } from './paths.ts';

/** Paths of the Prisma schema and the migrations folder. Both default to the repository's `prisma/`. */
export interface MigrationPaths {
  schemaPath?: string;
  migrationsDir?: string;
}

export function resolvePaths(paths: MigrationPaths = {}): Required<MigrationPaths> {
  return {
    schemaPath: paths.schemaPath ?? defaultSchemaPath,
    migrationsDir: paths.migrationsDir ?? defaultMigrationsDir,
  };
}

/** No table or enum is managed outside Prisma in this project. */
export const noExternalEntities: SchemaFilter = { externalTables: [], externalEnums: [] };
