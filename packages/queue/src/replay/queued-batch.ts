import type { Queue } from 'bullmq';

const PAGE_SIZE = 500;

/** Pushes of one batch in the main queue, by state. */
export interface QueuedBatchCounts {
  /** Not yet started: waiting, paused or prioritized. */
  waiting: number;
  /** Waiting for a retry after a failed attempt. */
  delayed: number;
  active: number;
  /** False when the scan stopped at `maxScanned` jobs, so the counts are lower bounds. */
  complete: boolean;
}

/**
 * Counts the jobs of batch `batchNo` that are still to run. BullMQ cannot filter jobs by
 * data, so this reads unfinished jobs page by page, at most `maxScanned` of them. With a
 * larger backlog the counts are lower bounds and `complete` is false.
 */
export async function countQueuedBatch(queue: Queue, batchNo: string, maxScanned = 20_000): Promise<QueuedBatchCounts> {
  const counts: QueuedBatchCounts = { waiting: 0, delayed: 0, active: 0, complete: true };
  const groups = [
    ['active', ['active']],
    ['delayed', ['delayed']],
    ['waiting', ['waiting', 'paused', 'prioritized']],
  ] as const;

  let scanned = 0;
  for (const [field, states] of groups) {
    for (let start = 0; ; start += PAGE_SIZE) {
      if (scanned >= maxScanned) return { ...counts, complete: false };
      const page = await queue.getJobs([...states], start, start + PAGE_SIZE - 1, true);
      scanned += page.length;
      counts[field] += page.filter((job) => (job?.data as { batchNo?: unknown } | undefined)?.batchNo === batchNo).length;
      if (page.length < PAGE_SIZE) break;
    }
  }
  return counts;
}
