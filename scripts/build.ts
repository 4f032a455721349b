// Bundles the ingress and worker into apps/<name>/dist/main.mjs (`npm run build`). Workspace
// packages are compiled in and third-party packages stay in node_modules, so a service starts
// with plain `node` instead of compiling TypeScript through tsx at every start.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Services run from a bundle. The admin and the CLI run from source through tsx. */
export const BUNDLED_SERVICES = ['ingress', 'worker'] as const;
export type BundledService = (typeof BUNDLED_SERVICES)[number];

/** Returns the bundle path of a service, relative to the repository root. */
export function bundlePath(service: BundledService): string {
  return `apps/${service}/dist/main.mjs`;
}

/**
 * Node options each bundled service starts with; the Dockerfiles repeat them in their CMD.
 * V8 sizes the young generation when the process starts, so a service cannot set it itself.
 * Node 20 lets each of the two semi-spaces grow to 16 MB. Capped at 8 MB, the ingress peaked
 * at 129-133 MB of RSS under the benchmark's ingress load, against 136-153 MB without the cap,
 * at the same CPU per request.
 */
export const SERVICE_NODE_ARGS: Record<BundledService, readonly string[]> = {
  ingress: ['--max-semi-space-size=8'],
  worker: [],
};

/** Leaves every bare import except `@student-sync/*` to Node's resolution at run time. */
const externalDependencies: Plugin = {
  name: 'external-dependencies',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@student-sync/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Bundles every service in BUNDLED_SERVICES; esbuild reports errors with file and line. Each
 * file is written under a temporary name and renamed, so a process starting meanwhile (tests
 * and the benchmark build too) never reads a half-written bundle.
 */
export async function buildServices(): Promise<void> {
  await Promise.all(
    BUNDLED_SERVICES.map(async (service) => {
      const result = await build({
        absWorkingDir: REPO_ROOT,
        entryPoints: [`apps/${service}/src/main.ts`],
        outfile: bundlePath(service),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'linked',
        plugins: [externalDependencies],
        logLevel: 'warning',
        write: false,
      });
      for (const file of result.outputFiles) {
        await mkdir(path.dirname(file.path), { recursive: true });
        const temporary = `${file.path}.${process.pid}.tmp`;
        await writeFile(temporary, file.contents);
        await rename(temporary, file.path);
      }
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServices();
  process.stdout.write(`built ${BUNDLED_SERVICES.map(bundlePath).join(', ')}\n`);
}
