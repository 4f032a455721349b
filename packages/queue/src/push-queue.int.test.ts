import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacklogMonitor } from './backlog.ts';
import { createRedisConnection, waitForRedisReady } from './connection.ts';
import type { PushJobData } from './payload.ts';
import { createPushQueue, enqueuePush, pushJobId, type PushQueue } from './push-queue.ts';
import { checkRedisPolicy } from './redis-policy.ts';
import { randomQueuePrefix, testRedisUrl } from '../../../tests/support/index.ts';
import { startThrowawayRedis } from './test-redis-server.ts';
import { QueueUnavailableError } from './timeout.ts';

const DIGEST = 'a'.repeat(64);

function pushData(idempotencyKey: string): PushJobData {
  return {
    version: 1,
    idempotencyKey,
    appKey: 'efutong',
    requestId: 'req-1',
    receivedAt: new Date().toISOString(),
    batchNo: 'P1',
    studentNo: '2024001',
    changeTime: '20240901083000',
    operation: 'UPDATE',
    bodySealed: 'v1.k1.iv.ct',
  };
}

describe('push queue on the shared Redis', () => {
  const prefix = randomQueuePrefix();
  let redis: Redis;
  let queue: PushQueue;

  beforeAll(async () => {
    redis = createRedisConnection(testRedisUrl(), { role: 'producer', commandTimeoutMs: 2_000 });
    await waitForRedisReady(redis, 5_000);
    queue = createPushQueue({ connection: redis, prefix, onError: () => {} });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('stores the job under an id without a colon', async () => {
    const job = await enqueuePush(queue, pushData(`efutong:${DIGEST}`), 2_000);
    expect(job.id).toBe(`efutong.${DIGEST}`);
    expect((await queue.getJob(job.id!))?.data.studentNo).toBe('2024001');
  });

  it('names the job by batch and student number', async () => {
    const job = await enqueuePush(queue, pushData(`efutong:${'c'.repeat(64)}`), 2_000);
    expect((await queue.getJob(job.id!))?.name).toBe('P1/2024001');
  });

  it('adds an identical push only once', async () => {
    const key = `dup:${'b'.repeat(64)}`;
    await enqueuePush(queue, pushData(key), 2_000);
    await enqueuePush(queue, pushData(key), 2_000);
    const waiting = await queue.getWaiting();
    expect(waiting.filter((job) => job.id === pushJobId(key))).toHaveLength(1);
  });

  it('sets retention that keeps finished jobs for the dedupe window', async () => {
    const job = await enqueuePush(queue, pushData(`ret:${'c'.repeat(64)}`), 2_000);
    expect(job.opts.removeOnComplete).toEqual({ age: 86_400, count: 100_000 });
    expect(job.opts.attempts).toBe(10);
  });

  it('counts the backlog', async () => {
    const monitor = new BacklogMonitor(queue, { refreshIntervalMs: 0, timeoutMs: 2_000 });
    expect(await monitor.current()).toBe(await queue.count());
    expect(await monitor.current()).toBeGreaterThanOrEqual(3);
  });
});

describe('pushJobId', () => {
  it('rejects a key with a colon in the app-key part', () => {
    expect(() => pushJobId(`a:b:${DIGEST}`)).toThrow(/no other ':'/);
  });
});

describe('checkRedisPolicy', () => {
  it('reports nothing for AOF with noeviction', async () => {
    const server = await startThrowawayRedis();
    const redis = createRedisConnection(server.url, { role: 'producer' });
    try {
      await waitForRedisReady(redis, 5_000);
      expect(await checkRedisPolicy(redis)).toEqual([]);
    } finally {
      redis.disconnect();
      await server.kill();
    }
  });

  it('reports missing AOF and an evicting policy', async () => {
    const server = await startThrowawayRedis({ appendonly: 'no', maxmemoryPolicy: 'allkeys-lru' });
    const redis = createRedisConnection(server.url, { role: 'producer' });
    try {
      await waitForRedisReady(redis, 5_000);
      const problems = await checkRedisPolicy(redis);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/appendonly is not yes/);
      expect(problems[1]).toMatch(/maxmemory-policy is allkeys-lru/);
    } finally {
      redis.disconnect();
      await server.kill();
    }
  });
});

describe('enqueuePush when Redis is gone', () => {
  it('fails with QueueUnavailableError instead of waiting', async () => {
    const server = await startThrowawayRedis();
    const redis = createRedisConnection(server.url, { role: 'producer', commandTimeoutMs: 500 });
    redis.on('error', () => {});
    const queue = createPushQueue({ connection: redis, prefix: randomQueuePrefix(), onError: () => {} });
    try {
      await waitForRedisReady(redis, 5_000);
      await enqueuePush(queue, pushData(`gone:${DIGEST}`), 1_000);
      await server.kill();
      await expect(enqueuePush(queue, pushData(`gone:${'d'.repeat(64)}`), 1_000)).rejects.toBeInstanceOf(QueueUnavailableError);
    } finally {
      await queue.close().catch(() => {});
      redis.disconnect();
    }
  });
});
