import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteQueueKeys, randomQueuePrefix, testRedisUrl } from '../../../tests/support/index.ts';
import { createRedisConnection, waitForRedisReady } from './connection.ts';
import type { PushJobData } from './payload.ts';
import { createPushQueue, PushEnqueuer, type PushQueue } from './push-queue.ts';
import { QueueUnavailableError } from './timeout.ts';

function pushData(digestChar: string): PushJobData {
  return {
    version: 1,
    idempotencyKey: `efutong:${digestChar.repeat(64)}`,
    appKey: 'efutong',
    requestId: `req-${digestChar}`,
    receivedAt: new Date().toISOString(),
    batchNo: 'P1',
    studentNo: '2024001',
    changeTime: '20240901083000',
    operation: 'UPDATE',
    bodySealed: 'v1.k1.iv.ct',
  };
}

describe('PushEnqueuer', () => {
  const prefix = randomQueuePrefix();
  let redis: Redis;
  let queue: PushQueue;

  beforeAll(async () => {
    redis = createRedisConnection(testRedisUrl(), { role: 'producer', commandTimeoutMs: 2_000 });
    await waitForRedisReady(redis, 5_000);
    queue = createPushQueue({ connection: redis, prefix, onError: () => {} });
  });

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await deleteQueueKeys(prefix);
  });

  it('concurrent jobs share one pipeline', async () => {
    const addBulk = vi.spyOn(queue, 'addBulk');
    const enqueuer = new PushEnqueuer(queue, { timeoutMs: 2_000 });
    const jobs = await Promise.all(['a', 'b', 'c'].map((char) => enqueuer.enqueue(pushData(char))));

    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(jobs.map((job) => job.id)).toEqual(['a', 'b', 'c'].map((char) => `efutong.${char.repeat(64)}`));
    expect(await queue.getJobCountByTypes('waiting')).toBe(3);
    addBulk.mockRestore();
  });

  it('resend in the same turn adds one job', async () => {
    const enqueuer = new PushEnqueuer(queue, { timeoutMs: 2_000 });
    const [first, second] = await Promise.all([enqueuer.enqueue(pushData('d')), enqueuer.enqueue(pushData('d'))]);

    expect(first.id).toBe(second.id);
    expect(await queue.getJobCountByTypes('waiting')).toBe(4);
  });

  it('failed pipeline retried job by job', async () => {
    const addBulk = vi.spyOn(queue, 'addBulk').mockRejectedValueOnce(new Error('pipeline failed'));
    const enqueuer = new PushEnqueuer(queue, { timeoutMs: 2_000 });
    const jobs = await Promise.all(['e', 'f'].map((char) => enqueuer.enqueue(pushData(char))));

    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(jobs.map((job) => job.id)).toEqual(['e', 'f'].map((char) => `efutong.${char.repeat(64)}`));
    expect(await queue.getJobCountByTypes('waiting')).toBe(6);
    addBulk.mockRestore();
  });

  it('one deadline rejects every caller of a stalled pipeline, with no job-by-job retry', async () => {
    const addBulk = vi.spyOn(queue, 'addBulk').mockReturnValueOnce(new Promise(() => {}));
    const add = vi.spyOn(queue, 'add');
    const enqueuer = new PushEnqueuer(queue, { timeoutMs: 100 });
    const results = await Promise.allSettled(['1', '2'].map((char) => enqueuer.enqueue(pushData(char))));

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(QueueUnavailableError);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('adding 2 push jobs timed out after 100 ms');
    expect(add).not.toHaveBeenCalled();
    addBulk.mockRestore();
    add.mockRestore();
  });

  it('splits a burst above maxBatch', async () => {
    const addBulk = vi.spyOn(queue, 'addBulk');
    const enqueuer = new PushEnqueuer(queue, { timeoutMs: 2_000, maxBatch: 2 });
    await Promise.all(['0', '1', '2'].map((char) => enqueuer.enqueue(pushData(char))));

    expect(addBulk.mock.calls.map(([jobs]) => jobs.length)).toEqual([2, 1]);
    addBulk.mockRestore();
  });
});
