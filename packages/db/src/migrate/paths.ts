import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Returns the first directory at or above `start` that contains prisma/schema.prisma. The
 * search works from the sources in packages/db/src/migrate and from a service bundle in
 * apps/<name>/dist alike.
 */
export function findRepoRoot(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'prisma', 'schema.prisma'))) return directory;
    if (path.dirname(directory) === directory) {
      throw new Error(`prisma/schema.prisma not found in ${start} or any folder above it; run from a checkout or an image that contains prisma/`);
    }
  }
}

/** The repository root, the folder that contains prisma/. */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

export const defaultSchemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');
export const defaultMigrationsDir = path.join(repoRoot, 'prisma', 'migrations');
