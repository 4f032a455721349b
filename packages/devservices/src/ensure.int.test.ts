import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from './handle.ts';
import { ensurePostgres } from './postgres.ts';
import { probePostgres, probeRedis } from './probe.ts';
import { ensureRedis } from './redis.ts';
import { readRedisSettings } from './settings.ts';
import { withDatabase } from './url.ts';

const log = pino({ level: 'silent' });
const sharedRedisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const sharedPostgresUrl = withDatabase(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres', 'postgres');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Creates a data root the `postgres` system user can enter, because under root the server runs as that user. */
function tempDataRoot(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'devservices-'));
  chmodSync(dir, 0o755);
  return dir;
}

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

const handles: ServiceHandle[] = [];
afterAll(async () => {
  for (const handle of handles) await handle.stop();
});

describe('ensureRedis', () => {
  it('uses a running Redis and never stops it', async () => {
    const handle = await ensureRedis(sharedRedisUrl, { log });
    expect(handle.started).toBe(false);
    await handle.stop();
    expect((await probeRedis(sharedRedisUrl)).responds).toBe(true);
  });

  it('starts redis-server with AOF and noeviction, and stops it', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const handle = await ensureRedis(url, { log, dataRoot: tempDataRoot() });
    handles.push(handle);
    expect(handle.started).toBe(true);
    const settings = await readRedisSettings(url);
    expect(settings.appendonly).toBe('yes');
    expect(settings.maxmemoryPolicy).toBe('noeviction');
    await handle.stop();
    expect((await probeRedis(url)).responds).toBe(false);
  });
});

describe('ensurePostgres', () => {
  it('uses a running server and creates the missing database', async () => {
    const name = `devservices_t_${randomBytes(4).toString('hex')}`;
    const handle = await ensurePostgres(withDatabase(sharedPostgresUrl, name), { log });
    try {
      expect(handle.started).toBe(false);
      expect(await databaseExists(sharedPostgresUrl, name)).toBe(true);
    } finally {
      const client = new pg.Client({ connectionString: sharedPostgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`);
      await client.end();
    }
  });

  it('starts embedded PostgreSQL, restarts it on the same data, and stops it', async () => {
    const url = `postgresql://postgres@127.0.0.1:${await freePort()}/devservices_app`;
    const dataRoot = tempDataRoot();
    const first = await ensurePostgres(url, { log, dataRoot });
    handles.push(first);
    expect(first.started).toBe(true);
    expect(await databaseExists(url, 'devservices_app')).toBe(true);
    await first.stop();
    expect((await probePostgres(url)).responds).toBe(false);

    const second = await ensurePostgres(url, { log, dataRoot });
    handles.push(second);
    expect(second.started).toBe(true);
    expect(await databaseExists(url, 'devservices_app')).toBe(true);
    await second.stop();
  });
});
