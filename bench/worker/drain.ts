import { PUSH_QUEUE } from '@student-sync/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchProcess } from '../support/child-process.ts';
import { type Series, startSampler } from '../support/series.ts';

export interface Drain {
  /** Jobs that ended completed or failed. */
  finished: number;
  failed: number;
  durationMs: number;
  /** False when the time bound ended the wait first. */
  complete: boolean;
  series: Series;
}

const POLL_MS = 100;

/**
 * Waits until `total` push jobs are completed or failed, or `timeoutMs` passed, and
 * measures from the call to the poll that saw the last job finish (100 ms resolution).
 */
export async function waitForDrain(redisUrl: string, prefix: string, total: number, timeoutMs: number, watched: BenchProcess[]): Promise<Drain> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(PUSH_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  let counts = { completed: 0, failed: 0 };
  const sampler = startSampler(() => counts.completed + counts.failed);
  const started = performance.now();
  try {
    while (performance.now() - started < timeoutMs) {
      counts = (await queue.getJobCounts('completed', 'failed')) as typeof counts;
      if (counts.completed + counts.failed >= total) break;
      const stopped = watched.find((child) => !child.running);
      if (stopped) throw new Error(`${stopped.name} exited while jobs were pending\n${stopped.output()}`);
      await sleep(POLL_MS);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  const finished = counts.completed + counts.failed;
  return { finished, failed: counts.failed, durationMs: performance.now() - started, complete: finished >= total, series: sampler.stop() };
}

export interface FinishedJobsFollower {
  /** Completed plus failed push jobs at the last poll. */
  finished(): number;
  /** Polls once more now and waits for the count. */
  refresh(): Promise<void>;
  /** Stops polling and closes the Redis connection. */
  stop(): Promise<void>;
}

/**
 * Polls the count of finished push jobs in the background, so a rate series can be sampled
 * while the caller waits on other work. Counting a BullMQ state is a ZCARD in Redis, much
 * cheaper than counting archive rows in PostgreSQL, which the measured worker writes to.
 */
export function followFinishedJobs(redisUrl: string, prefix: string, intervalMs: number): FinishedJobsFollower {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const queue = new Queue(PUSH_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  let finished = 0;
  let polling: Promise<void> | undefined;
  const countNow = async (): Promise<void> => {
    try {
      const counts = await queue.getJobCounts('completed', 'failed');
      finished = (counts.completed ?? 0) + (counts.failed ?? 0);
    } catch {
      // A failed poll leaves the last count in place, and the next poll catches up.
    }
  };
  // One poll runs at a time, and a call made while one runs waits for that one.
  const poll = (): Promise<void> => (polling ??= countNow().finally(() => (polling = undefined)));
  const timer = setInterval(() => void poll(), intervalMs);
  void poll();
  return {
    finished: () => finished,
    async refresh() {
      await polling;
      await poll();
    },
    async stop() {
      clearInterval(timer);
      await polling;
      await queue.close();
      connection.disconnect();
    },
  };
}
