import pg from 'pg';

/**
 * Maximum wait for a new PostgreSQL connection. Without it a host that drops packets silently
 * would hold a request or a job until the operating system's TCP timeout (minutes).
 */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface PgPoolOptions {
  /** postgresql:// URL of the database. */
  databaseUrl: string;
  /** Maximum open connections of this process's pool. */
  poolSize: number;
  /** Called when an idle pooled connection fails, e.g. because PostgreSQL restarted. The pool drops that connection. */
  onPoolError?: (err: Error) => void;
}

/** Builds the `pg` pool settings every process uses, for Prisma's driver adapter and for plain SQL alike. */
export function pgPoolConfig(options: PgPoolOptions): pg.PoolConfig {
  // keepAlive lets the OS notice a dead link under an idle pooled connection.
  return { connectionString: options.databaseUrl, max: options.poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true };
}

/**
 * Creates a plain `pg` pool, for a process that runs a few fixed statements and should not
 * load Prisma's query compiler (about 75 MB of resident memory once a query has run).
 */
export function createPgPool(options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool(pgPoolConfig(options));
  pool.on('error', (err) => {
    // pg attaches the whole client, connection parameters included, to errors of idle
    // connections; a log line needs the message and code only.
    delete (err as Error & { client?: unknown }).client;
    options.onPoolError?.(err);
  });
  return pool;
}
