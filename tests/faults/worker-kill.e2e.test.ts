import { PUSH_QUEUE } from '@student-sync/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildService } from './support/child-service.ts';
import { FaultStack } from './support/stack.ts';
import { sendStream } from './support/stream-sender.ts';
import { expectStreamApplied, reportRun, simulateStream, waitForApplied } from './support/verify.ts';

const STUDENTS = 600;
/** Fractions of the distinct pushes applied at which worker 0 is killed with SIGKILL and replaced. */
const KILL_POINTS = [0.2, 0.45, 0.7];
const KILL_WAIT_MS = 120_000;
/** Jobs a killed worker held are recovered by a stall check: BullMQ's lock (30 s) must expire first. */
const DRAIN_TIMEOUT_MS = 150_000;
/** How long a kill waits for worker 0 to hold an active job before it kills anyway. */
const ACTIVE_WAIT_MS = 20_000;

/**
 * Waits until `worker` has at least one active push job, so that killing it leaves a job for
 * the stall check. BullMQ stores the worker's name, `<host>:<pid>`, on each job it takes.
 * Returns false when that did not happen within ACTIVE_WAIT_MS.
 */
async function waitUntilHoldingJobs(queue: Queue, worker: ChildService): Promise<boolean> {
  const deadline = Date.now() + ACTIVE_WAIT_MS;
  while (Date.now() < deadline) {
    const active = await queue.getActive(0, -1);
    if (active.some((job) => job.processedBy?.endsWith(`:${worker.pid}`))) return true;
    await sleep(5);
  }
  return false;
}

describe('worker killed mid-stream', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 2 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loses no acknowledged push and applies each once', { timeout: 330_000 }, async () => {
    const stream = simulateStream('fault-worker-kill', STUDENTS);
    const sending = sendStream(stream.bodies, { target: stack.target, concurrency: 8, maxAttempts: 20, baseBackoffMs: 100, maxBackoffMs: 1_000, timeoutMs: 10_000 });

    const connection = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(PUSH_QUEUE, { connection, prefix: stack.env.QUEUE_PREFIX! });
    let killsWhileHolding = 0;
    try {
      for (const point of KILL_POINTS) {
        await waitForApplied(stack, Math.floor(stream.simulation.pushCount * point), KILL_WAIT_MS);
        if (await waitUntilHoldingJobs(queue, stack.workers[0]!)) killsWhileHolding += 1;
        await stack.restartWorker(0, 'SIGKILL');
      }
    } finally {
      await queue.close();
      connection.disconnect();
    }
    const sent = await sending;

    expect(stack.started.filter((service) => service.name.startsWith('worker'))).toHaveLength(2 + KILL_POINTS.length);
    await expectStreamApplied(stack, stream, sent, DRAIN_TIMEOUT_MS);

    const stalls = stack.allLines().filter((line) => line.includes('push job stalled')).length;
    reportRun('worker-kill', stream, sent, { kills: KILL_POINTS.length, killsWhileHolding, stalls });
    expect(killsWhileHolding, 'worker 0 held an active job when it was killed').toBeGreaterThan(0);
    expect(stalls, 'jobs held by the killed workers were recovered by a stall check').toBeGreaterThan(0);
  });
});
