import { readFile } from 'node:fs/promises';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { createEngineAdapterFactory, type EngineAdapterFactory } from './engine-adapter.ts';
import { toEngineError, type ErrorRegistryLike } from './engine-errors.ts';
import { loadEngineModule } from './engine-wasm.ts';

export interface SchemaFile {
  path: string;
  content: string;
}

/** An open schema engine on one database, with the shadow databases it may create. */
export interface EngineSession {
  /** Runs one engine command; what it throws becomes a MigrationEngineError or the driver's error. */
  call<T>(command: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  /** Frees the engine and drops any shadow database it left behind. */
  close(): Promise<void>;
}

export async function readSchemaFile(schemaPath: string): Promise<SchemaFile> {
  return { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
}

/**
 * Starts the WebAssembly schema engine on `databaseUrl`. The engine gets no Prisma schema at
 * construction, because every command used here takes the schema as input.
 */
export async function openEngine(databaseUrl: string): Promise<EngineSession> {
  const wasm = await loadEngineModule();
  const factory = createEngineAdapterFactory(databaseUrl);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await callEngine(bound.errorRegistry, () =>
    wasm.SchemaEngine.new({ datamodels: undefined }, () => undefined, bound),
  );
  return {
    call: (command) => callEngine(bound.errorRegistry, () => command(engine)),
    close: () => closeEngine(engine, factory),
  };
}

async function closeEngine(engine: SchemaEngine, factory: EngineAdapterFactory): Promise<void> {
  try {
    engine.free();
  } finally {
    await factory.disposeAll();
  }
}

/** Runs `work` with an open engine and always closes it. */
export async function withEngine<T>(
  databaseUrl: string,
  work: (session: EngineSession) => Promise<T>,
): Promise<T> {
  const session = await openEngine(databaseUrl);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/** Awaits an engine call and turns what it throws into a MigrationEngineError. */
async function callEngine<T>(registry: ErrorRegistryLike, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toEngineError(error, registry);
  }
}
