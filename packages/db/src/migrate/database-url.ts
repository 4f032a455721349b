import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** NAMEDATALEN - 1 in a default PostgreSQL build. */
const POSTGRES_IDENTIFIER_MAX_BYTES = 63;

/** Returns the database name of a postgresql:// URL. */
export function databaseNameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (name === '') throw new Error(`DATABASE_URL names no database: ${redactUrl(databaseUrl)}`);
  return name;
}

/** Returns the same URL pointing at another database on the same server. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Returns the URL with its password replaced, for messages and logs. */
export function redactUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password !== '') url.password = '***';
  return url.toString();
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Runs `work` with a client connected to the server's `postgres` maintenance database,
 * which CREATE DATABASE and DROP DATABASE need because neither can run inside the target.
 */
async function withMaintenanceClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** SQLSTATE 3D000 invalid_catalog_name: the database in the connection string does not exist. */
const DATABASE_MISSING = '3D000';

/**
 * Connects to the database itself rather than to `postgres`, so a role that may connect
 * only to its own database can still run the check at process start.
 */
export async function databaseExists(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === DATABASE_MISSING) return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in the URL unless it exists. Returns true when it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  if (await databaseExists(databaseUrl)) return false;

  const name = databaseNameOf(databaseUrl);
  return withMaintenanceClient(databaseUrl, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
      return true;
    } catch (error) {
      // Another process created it between the check and here: PostgreSQL reports 42P04
      // duplicate_database, or 23505 on pg_database's name index when both ran at once.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  });
}

/**
 * Creates an empty database with a random name next to the one in `databaseUrl` and
 * returns its URL. The caller drops it with `dropDatabase`.
 */
export async function createThrowawayDatabase(databaseUrl: string, purpose: string): Promise<string> {
  const suffix = `_${purpose}_${randomBytes(6).toString('hex')}`;
  // PostgreSQL truncates identifiers to 63 bytes; shorten the base so the random part stays.
  const name = `${databaseNameOf(databaseUrl).slice(0, POSTGRES_IDENTIFIER_MAX_BYTES - suffix.length)}${suffix}`;
  await withMaintenanceClient(databaseUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  return withDatabase(databaseUrl, name);
}

/** Drops the database in the URL, closing other sessions on it first (PostgreSQL 13+). */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  await withMaintenanceClient(databaseUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}
