import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot } from '../migrate/paths.ts';

/**
 * Runs `prisma generate` for prisma/schema.prisma. The Prisma 7.10 CLI fetches a native schema
 * engine from Prisma's binary host before its commands, and generate does not use it, so
 * pointing PRISMA_SCHEMA_ENGINE_BINARY at /bin/true keeps generate offline. Migration commands
 * must not use this, because with a fake engine they do nothing and still exit 0.
 */
export function runPrismaGenerate(): number {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}
