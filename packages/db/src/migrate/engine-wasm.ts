/// <reference path="./webassembly.d.ts" />
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);

/**
 * The engine build that ships inside the `prisma` CLI package, so migrations generated here
 * match what `prisma migrate dev` of the same CLI version would write. The wasm-bindgen glue
 * comes from `@prisma/schema-engine-wasm`; `loadEngineModule` checks that the two fit.
 */
const cliEnginePath = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'schema_engine_bg.wasm');
const packageEnginePath = path.join(
  path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
  'schema_engine_bg.wasm',
);

const glueModuleName = './schema_engine_bg.js';

let loaded: Promise<typeof glue> | undefined;

/** Instantiates the WebAssembly schema engine once per process and returns its bindings. */
export function loadEngineModule(): Promise<typeof glue> {
  loaded ??= instantiate();
  return loaded;
}

async function instantiate(): Promise<typeof glue> {
  installPanicRegistry();
  const module = await compileMatchingEngine();
  const instance = await WebAssembly.instantiate(module, { [glueModuleName]: importsWithUnrefTimers() });
  const exports = instance.exports as unknown as { __wbindgen_start: () => void };

  // The package's own entry file does these two steps through a `.wasm` ES import,
  // which Node 20 cannot load, so they are done here by hand.
  glue.__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  return glue;
}

/**
 * Returns the glue imports with every engine timer unref'd. The engine arms timers for the
 * timeouts it races (10 s and 60 s ones with engine d1b3f377) and never clears them, so a
 * finished process would stay alive for a minute. An unref'd timer still fires while the
 * process has other work, such as an open query.
 */
function importsWithUnrefTimers(): WebAssembly.ModuleImports {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') continue;
    imports[name] = (...args: unknown[]) => {
      const timer = (value as (...forwarded: unknown[]) => NodeJS.Timeout)(...args);
      timer.unref();
      return timer;
    };
  }
  return imports as WebAssembly.ModuleImports;
}

/** Compiles the CLI's engine copy, or the package's own copy when the glue does not fit it. */
async function compileMatchingEngine(): Promise<WebAssembly.Module> {
  const cliEngine = await WebAssembly.compile(await readFile(cliEnginePath));
  if (missingGlueImports(cliEngine).length === 0) return cliEngine;

  const packageEngine = await WebAssembly.compile(await readFile(packageEnginePath));
  const missing = missingGlueImports(packageEngine);
  if (missing.length > 0) {
    throw new Error(`schema engine wasm does not match its glue code; missing imports: ${missing.join(', ')}`);
  }
  return packageEngine;
}

function missingGlueImports(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.imports(module)
    .filter((entry) => entry.module !== glueModuleName || !(entry.name in glue))
    .map((entry) => entry.name);
}

/** The glue calls `PRISMA_WASM_PANIC_REGISTRY.set_message` when the engine panics. */
export interface PanicRegistry {
  lastMessage: string | undefined;
  set_message(message: string): void;
}

declare global {
  var PRISMA_WASM_PANIC_REGISTRY: PanicRegistry | undefined;
}

function installPanicRegistry(): void {
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    lastMessage: undefined,
    set_message(message: string) {
      this.lastMessage = message;
    },
  };
}

/** Returns and clears the message of the last engine panic, if any. */
export function takePanicMessage(): string | undefined {
  const registry = globalThis.PRISMA_WASM_PANIC_REGISTRY;
  const message = registry?.lastMessage;
  if (registry) registry.lastMessage = undefined;
  return message;
}
