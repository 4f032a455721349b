import { Redis } from 'ioredis';
import pg from 'pg';
import { withDatabase } from './url.ts';

/** Default time to wait for a service to respond before treating it as absent. */
export const DEFAULT_PROBE_TIMEOUT_MS = 1_500;

/** Result of one probe: whether the service responded, and why not when it did not. */
export type ProbeResult = { responds: true } | { responds: false; reason: string };

/**
 * Sends one PING to the Redis at `url`, with no retries and no offline queue, so an absent
 * server fails within `timeoutMs` instead of being retried forever.
 */
export async function probeRedis(url: string, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The error event carries the cause (ECONNREFUSED ...); the rejected call only reports that the connection closed.
  let lastError: unknown;
  redis.on('error', (err) => (lastError = err));
  try {
    await redis.connect();
    await redis.ping();
    return { responds: true };
  } catch (err) {
    return { responds: false, reason: errorText(lastError ?? err) };
  } finally {
    redis.disconnect();
  }
}

/**
 * Raised when PostgreSQL responds but rejects the connection (wrong password, unknown role):
 * starting another server would not help, so callers stop with this message.
 */
export class PostgresRejectedError extends Error {
  override readonly name = 'PostgresRejectedError';
}

/**
 * Connects to the server of `databaseUrl` (its maintenance database `postgres`, so a missing
 * target database still counts as a responding server) and runs `SELECT 1`.
 */
export async function probePostgres(databaseUrl: string, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const client = new pg.Client({
    connectionString: withDatabase(databaseUrl, 'postgres'),
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { responds: true };
  } catch (err) {
    const sqlState = (err as { code?: unknown }).code;
    // A SQLSTATE (five characters) means the server itself responded with an error.
    if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState)) {
      throw new PostgresRejectedError(`PostgreSQL 已应答但拒绝连接 (PostgreSQL responded but rejected the connection): ${errorText(err)}`);
    }
    return { responds: false, reason: errorText(err) };
  } finally {
    await client.end().catch(() => {});
  }
}

export function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(errorText).join('; ');
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
