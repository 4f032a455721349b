import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/service-process.ts';
import { createTestDatabase, type TestDatabase, testKeys } from '../support/index.ts';
import { ChildService } from './support/child-service.ts';
import { OwnRedis } from './support/redis-server.ts';
import { isReady } from './support/stack.ts';

const EXIT_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 60_000;
const POLICY_MESSAGE = 'redis is not configured for a durable queue';

describe('startup checks', () => {
  let redis: OwnRedis;
  let database: TestDatabase;
  let env: Record<string, string>;
  const started: ChildService[] = [];

  beforeAll(async () => {
    // Without AOF and with an evicting policy: both problems the check looks for.
    redis = await OwnRedis.start({ appendonly: 'no', maxmemoryPolicy: 'allkeys-lru' });
    database = await createTestDatabase();
    env = { ...testKeys(), REDIS_URL: redis.url, DATABASE_URL: database.url, QUEUE_PREFIX: '{student-sync}', LOG_LEVEL: 'info' };
  });

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop(5_000)));
    await database?.drop();
    await redis?.remove();
  });

  function start(name: string, entry: string, extra: Record<string, string>): ChildService {
    const service = new ChildService(name, entry, { ...env, ...extra });
    started.push(service);
    return service;
  }

  it.each([
    ['ingress', 'apps/ingress/src/main.ts'],
    ['worker', 'apps/worker/src/main.ts'],
  ])('%s refuses Redis without AOF or noeviction', async (name, entry) => {
    const service = start(name, entry, { REDIS_POLICY_CHECK: 'refuse', INGRESS_PORT: String(await freePort()) });
    expect(await service.waitForExit(EXIT_TIMEOUT_MS), service.tail()).toBe(1);
    const output = service.lines.join('\n');
    expect(output).toContain(POLICY_MESSAGE);
    expect(output).toContain('appendonly is not yes');
    expect(output).toContain('maxmemory-policy is allkeys-lru');
  });

  it('ingress starts with a warning when REDIS_POLICY_CHECK=warn', async () => {
    const port = await freePort();
    const ingress = start('ingress', 'apps/ingress/src/main.ts', { REDIS_POLICY_CHECK: 'warn', INGRESS_PORT: String(port) });
    await ingress.waitUntil('GET /readyz 200', () => isReady(`http://127.0.0.1:${port}/readyz`), START_TIMEOUT_MS);
    expect(warningOf(ingress)).toMatchObject({ level: 40, redisPolicyCheck: 'warn' });
  });

  it('worker starts with a warning when REDIS_POLICY_CHECK=warn', async () => {
    const worker = start('worker', 'apps/worker/src/main.ts', { REDIS_POLICY_CHECK: 'warn' });
    await worker.waitForOutput('worker started', START_TIMEOUT_MS);
    expect(warningOf(worker)).toMatchObject({ level: 40, redisPolicyCheck: 'warn' });
  });

  it.each([
    ['admin', 'apps/admin/src/main.ts'],
    ['ingress', 'apps/ingress/src/main.ts'],
    ['worker', 'apps/worker/src/main.ts'],
  ])('%s refuses a database with a pending migration', async (name, entry) => {
    const pending = await createTestDatabase();
    try {
      await forgetLatestMigration(pending.url);
      const ports = { ADMIN_PORT: String(await freePort()), INGRESS_PORT: String(await freePort()) };
      const service = start(name, entry, { DATABASE_URL: pending.url, REDIS_POLICY_CHECK: 'warn', ADMIN_DEV_MODE: 'true', ...ports });
      expect(await service.waitForExit(EXIT_TIMEOUT_MS), service.tail()).toBe(1);
      expect(service.lines.join('\n')).toContain('database schema is not current');
    } finally {
      await pending.drop();
    }
  });
});

/** Returns the parsed log line of the policy warning. */
function warningOf(service: ChildService): Record<string, unknown> {
  const line = service.lines.find((text) => text.includes(POLICY_MESSAGE));
  expect(line, service.tail()).toBeDefined();
  return JSON.parse(line!) as Record<string, unknown>;
}

/** Deletes the newest row of _prisma_migrations, so that migration counts as pending. */
async function forgetLatestMigration(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)');
  } finally {
    await client.end();
  }
}
