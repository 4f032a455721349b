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
