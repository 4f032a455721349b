import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomQueuePrefix, testRedisUrl } from '../../../../tests/support/index.ts';
import { createRedisConnection, waitForRedisReady } from '../connection.ts';
import type { PushJobData } from '../payload.ts';
import { createPushQueue, pushJobId, type PushQueue } from '../push-queue.ts';
import { countQueuedBatch, queuedBatchKeys } from './queued-batch.ts';

function pushData(idempotencyKey: string, batchNo: string | null): PushJobData {
  return {
    version: 1,
    idempotencyKey,
    appKey: 'efutong',
    requestId: '',
    receivedAt: new Date().toISOString(),
    batchNo,
    studentNo: '2024001',
    changeTime: '20240901083000',
    operation: 'UPDATE',
    bodySealed: 'v1.k1.iv.ct',
  };
}

const keyOf = (hexDigit: string) => `efutong:${hexDigit.repeat(64)}`;
const WAITING = keyOf('a');
const RETRYING = keyOf('b');

describe('queued jobs of a batch', () => {
  const prefix = randomQueuePrefix();
  let redis: Redis;
  let queue: PushQueue;

  beforeAll(async () => {
    redis = createRedisConnection(testRedisUrl(), { role: 'producer', commandTimeoutMs: 5_000 });
    await waitForRedisReady(redis, 5_000);
    queue = createPushQueue({ connection: redis, prefix, onError: () => {} });

    const add = (key: string, batchNo: string | null, delay = 0) => queue.add('push', pushData(key, batchNo), { jobId: pushJobId(key), delay });
    await add(WAITING, 'B1');
    await add(RETRYING, 'B1', 60_000);
    await add(keyOf('c'), 'B2');
    await add(keyOf('d'), null);
    const finished = await add(keyOf('e'), 'B1');
    await finished.remove();
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('lists keys of waiting and delayed pushes', async () => {
    const queued = await queuedBatchKeys(queue, 'B1');
    expect([...queued.keys].sort()).toEqual([WAITING, RETRYING]);
    expect(queued.complete).toBe(true);
  });

  it('counts them by state', async () => {
    expect(await countQueuedBatch(queue, 'B1')).toEqual({ waiting: 1, delayed: 1, active: 0, complete: true });
  });

  it('reports a scan cut short', async () => {
    const queued = await queuedBatchKeys(queue, 'B1', 1);
    expect(queued.complete).toBe(false);
  });
});
