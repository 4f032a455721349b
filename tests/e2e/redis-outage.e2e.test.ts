import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayRedis, type ThrowawayRedis } from '../../packages/queue/src/test-redis-server.ts';
import { createTestDatabase, randomQueuePrefix, type TestDatabase, testKeys } from '../support/index.ts';
import { freePort, ServiceProcess } from './service-process.ts';
import { isReady } from './stack-checks.ts';

const START_TIMEOUT_MS = 60_000;

describe('services stopped while Redis is down', () => {
  let database: TestDatabase;
  let redis: ThrowawayRedis;
  let ingressPort: number;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startThrowawayRedis();
    ingressPort = await freePort();
    const adminPort = await freePort();
    const env = {
      ...testKeys(),
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: randomQueuePrefix(),
      LOG_LEVEL: 'info',
      INGRESS_HOST: '127.0.0.1',
      INGRESS_PORT: String(ingressPort),
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
      ADMIN_USERNAME: 'ops',
      ADMIN_PASSWORD: 'operator-password-1',
      SHUTDOWN_GRACE_MS: '10000',
    };
    const ingress = new ServiceProcess('ingress', 'apps/ingress/src/main.ts', env);
    const worker = new ServiceProcess('worker', 'apps/worker/src/main.ts', env);
    const admin = new ServiceProcess('admin', 'apps/admin/src/main.ts', env);
    services.push(ingress, worker, admin);
    await ingress.waitUntil('GET /readyz 200', () => isReady(`http://127.0.0.1:${ingressPort}/readyz`), START_TIMEOUT_MS);
    await worker.waitForOutput('worker started', START_TIMEOUT_MS);
    await admin.waitUntil('GET /healthz 200', () => isReady(`http://127.0.0.1:${adminPort}/healthz`), START_TIMEOUT_MS);
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await redis?.kill();
    await database?.drop();
  });

  it('logs the outage briefly and exits 0', { timeout: 90_000 }, async () => {
    await redis.kill();
    const [ingress] = services;
    await ingress!.waitUntil('GET /readyz to fail', async () => !(await isReady(`http://127.0.0.1:${ingressPort}/readyz`)), 20_000);
    // Several reconnect attempts happen meanwhile, and each source logs only the first error.
    await sleep(3_000);
    for (const service of services) {
      const errorLines = service.output().split('\n').filter((line) => line.includes('"level":50'));
      expect(errorLines.length, service.output()).toBeLessThanOrEqual(5);
      expect(errorLines.length, service.output()).toBeGreaterThan(0);
    }

    await Promise.all(services.map((service) => service.stop()));
    for (const service of services) expect([service.name, service.exitCode], service.output()).toEqual([service.name, 0]);
  });
});
