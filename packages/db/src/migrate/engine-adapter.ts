import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { createThrowawayDatabase, dropDatabase } from './database-url.ts';

/** PostgreSQL type OIDs (pg_type.oid) of the one-byte `"char"` type and of `text`. */
const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

/**
 * Relabels `"char"` result columns as text. The schema engine's catalog queries return
 * `"char"` columns (pg_constraint.contype and others), which @prisma/adapter-pg 7.10.1
 * rejects as an unsupported column type. pg already parses their values as strings.
 */
function relabelCharColumns<T>(result: T): T {
  for (const field of (result as QueryResultLike | undefined)?.fields ?? []) {
    if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

class CharAsTextClient extends pg.Client {
  // pg.Client.query has many overloads; the override only post-processes results and
  // forwards every argument unchanged, so it is typed loosely.
  override query(...args: unknown[]): any {
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result: unknown) => void;
      args[callbackIndex] = (error: Error | null, result: unknown) => callback(error, relabelCharColumns(result));
    }
    const returned = (super.query as (...forwarded: unknown[]) => unknown)(...args);
    return returned instanceof Promise ? returned.then(relabelCharColumns) : returned;
  }
}

/**
 * Creates a pool of one connection. The schema engine takes a session-level advisory lock
 * (`pg_advisory_lock(72707369)`) before it migrates, so all its statements must share the
 * session that holds the lock.
 */
function createEnginePool(databaseUrl: string): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    Client: CharAsTextClient as unknown as new () => pg.ClientBase,
    max: 1,
    connectionTimeoutMillis: 30_000,
  });
}

/** A connection for the engine, and a dispose that is safe to call more than once. */
interface EngineConnection {
  adapter: SqlDriverAdapter;
  dispose(): Promise<void>;
}

async function connect(databaseUrl: string, afterDispose?: () => Promise<void>): Promise<EngineConnection> {
  const pool = createEnginePool(databaseUrl);
  const adapter = await new PrismaPg(pool).connect();

  // adapter-pg's own `executeScript` splits the script at every `;`, which breaks function
  // bodies and string literals that contain one. A query without parameters goes over the
  // simple protocol, which runs a multi-statement script whole, as the native engine does.
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };

  let disposed: Promise<void> | undefined;
  const dispose = () => {
    disposed ??= pool.end().then(() => afterDispose?.());
    return disposed;
  };
  adapter.dispose = dispose;
  return { adapter, dispose };
}

/** A driver adapter factory for the schema engine, and the cleanup of what it opened. */
export interface EngineAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Closes every connection this factory opened and drops every shadow database it created. */
  disposeAll(): Promise<void>;
}

/**
 * Builds the factory handed to the schema engine. `connect` reaches `databaseUrl`;
 * `connectToShadowDb` creates a throwaway database on the same server and drops it when the
 * connection is disposed of. adapter-pg's own `connectToShadowDb` is not used because with
 * a connection string it connects to the main database.
 */
export function createEngineAdapterFactory(databaseUrl: string): EngineAdapterFactory {
  const connections: EngineConnection[] = [];

  const track = (connection: EngineConnection) => {
    connections.push(connection);
    return connection.adapter;
  };

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: async () => track(await connect(databaseUrl)),
    async connectToShadowDb() {
      const shadowUrl = await createThrowawayDatabase(databaseUrl, 'shadow');
      return track(await connect(shadowUrl, () => dropDatabase(shadowUrl)));
    },
    async disposeAll() {
      const results = await Promise.allSettled(connections.map((connection) => connection.dispose()));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
