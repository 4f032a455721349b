import { parsePrometheusText, sampleValue } from '@student-sync/observability';
import { startThrowawayRedis, type ThrowawayRedis } from '../../../packages/queue/src/test-redis-server.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../tests/e2e/service-process.ts';
import { waitFor } from '../../worker/src/testing/push-jobs.ts';
import { as, OPERATOR, startTestAdmin, type TestAdmin } from './testing/harness.ts';

let redisServer: ThrowawayRedis;
let admin: TestAdmin;

beforeAll(async () => {
  redisServer = await startThrowawayRedis();
  admin = await startTestAdmin({ redisUrl: redisServer.url });
  await redisServer.kill();
  await waitFor('the admin to see Redis gone', async () => (admin.redis.status === 'ready' ? undefined : true));
});

afterAll(async () => {
  await admin?.close();
  await redisServer?.kill();
});

describe('admin while Redis is down', () => {
  it.each(['/admin/api/dead-letters', '/admin/api/batches/B-1', '/admin/queues/api/queues'])('GET %s gets 503 naming Redis', async (url) => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url }));
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json().message).toMatch(/^队列存储 \(Redis\) 不可用, 请检查 Redis 是否在运行以及 REDIS_URL/);
  });

  it('admin API names the error', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/api/dead-letters' }));
    expect(response.json()).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
  });

  it('dead-letter page shows the outage', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/dead-letters', headers: { accept: 'text/html' } }));
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('队列存储 (Redis) 不可用');
  });

  it('metrics report the store down', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/metrics' }));
    expect(response.statusCode).toBe(200);
    const samples = parsePrometheusText(response.body);
    expect(sampleValue(samples, 'student_sync_queue_store_up')).toBe(0);
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
  });
});

describe('admin while PostgreSQL is down', () => {
  let unreachable: TestAdmin;

  beforeAll(async () => {
    unreachable = await startTestAdmin({ queryDatabaseUrl: `postgresql://postgres@127.0.0.1:${await freePort()}/nothing` });
  });

  afterAll(async () => {
    await unreachable?.close();
  });

  it('batch list gets 503 naming PostgreSQL', async () => {
    const response = await unreachable.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/api/batches' }));
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json().message).toMatch(/^数据库 \(PostgreSQL\) 不可用, 请检查 PostgreSQL 是否在运行以及 DATABASE_URL/);
  });
});
