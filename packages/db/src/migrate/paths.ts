import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file's place in packages/db/src/migrate. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export const defaultSchemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');
export const defaultMigrationsDir = path.join(repoRoot, 'prisma', 'migrations');
