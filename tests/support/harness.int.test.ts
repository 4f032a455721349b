import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, testKeys, testRedisUrl, type TestDatabase } from './index.ts';
import { TEMPLATE_DATABASE } from './provided.ts';

async function queryOne<T>(url: string, sql: string): Promise<T | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T | undefined;
  } finally {
    await client.end();
  }
}

describe('global setup values', () => {
  it('reach test files through inject', () => {
    expect(inject('testTemplateDatabase')).toBe(TEMPLATE_DATABASE);
    expect(inject('testRedisUrl')).toMatch(/^rediss?:\/\//);
    expect(new URL(inject('testPostgresUrl')).pathname).toBe('/postgres');
  });
});

describe('createTestDatabase', () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of created) await database.drop();
  });

  it('copies the migrated template', async () => {
    const database = await createTestDatabase();
    created.push(database);
    const row = await queryOne<{ applied: string }>(database.url, 'SELECT count(*) AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    expect(Number(row?.applied)).toBeGreaterThan(0);
    const table = await queryOne<{ name: string | null }>(database.url, "SELECT to_regclass('public.students')::text AS name");
    expect(table?.name).toBe('students');
  });

  it('gives each call its own database', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    created.push(first, second);
    expect(first.url).not.toBe(second.url);
    expect(new URL(first.url).pathname).toMatch(/^\/student_sync_t_[0-9a-f]{12}$/);
  });

  it('drop removes the database', async () => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    await database.drop();
    const serverUrl = new URL(database.url);
    serverUrl.pathname = '/postgres';
    const row = await queryOne(serverUrl.toString(), `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
    expect(row).toBeUndefined();
  });
});

describe('queue helpers', () => {
  it('testRedisUrl responds to PING', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('deleteQueueKeys removes only its prefix', async () => {
    const mine = randomQueuePrefix();
    const other = randomQueuePrefix();
    expect(mine).not.toBe(other);
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    try {
      await redis.set(`${mine}:a`, '1');
      await redis.set(`${mine}:b:c`, '1');
      await redis.set(`${other}:a`, '1');
      expect(await deleteQueueKeys(mine)).toBe(2);
      expect(await redis.exists(`${mine}:a`, `${mine}:b:c`)).toBe(0);
      expect(await redis.exists(`${other}:a`)).toBe(1);
    } finally {
      await deleteQueueKeys(other);
      redis.disconnect();
    }
  });
});

describe('testKeys', () => {
  it('returns keys the privacy package accepts', () => {
    const keys = testKeys();
    const ring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
    expect(ring.open(ring.seal('110105199001011234'))).toBe('110105199001011234');
    expect(() => KeyedHasher.parse(keys.PII_HASH_KEY)).not.toThrow();
  });
});
