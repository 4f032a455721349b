import type { Queue } from 'bullmq';

const PAGE_SIZE = 500;
/** Maximum number of unfinished jobs that one scan of the main queue reads. */
export const QUEUE_SCAN_LIMIT = 20_000;

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

type QueueGroup = 'waiting' | 'delayed' | 'active';

const GROUPS = [
  ['active', ['active']],
  ['delayed', ['delayed']],
  ['waiting', ['waiting', 'paused', 'prioritized']],
] as const;

/**
 * Calls `visit` for each unfinished job of batch `batchNo`. BullMQ cannot filter jobs by
 * data, so this reads unfinished jobs page by page, at most `maxScanned` of them. Returns
 * false when it stopped there, so some jobs of the batch may not have been visited.
 */
async function scanQueuedBatch(queue: Queue, batchNo: string, maxScanned: number, visit: (group: QueueGroup, data: Record<string, unknown>) => void): Promise<boolean> {
  let scanned = 0;
  for (const [group, states] of GROUPS) {
    for (let start = 0; ; start += PAGE_SIZE) {
      if (scanned >= maxScanned) return false;
      const page = await queue.getJobs([...states], start, start + PAGE_SIZE - 1, true);
      scanned += page.length;
      for (const job of page) {
        const data = job?.data as Record<string, unknown> | undefined;
        if (data?.['batchNo'] === batchNo) visit(group, data);
      }
      if (page.length < PAGE_SIZE) break;
    }
  }
  return true;
}

/**
 * Counts the jobs of batch `batchNo` that are still to run, from at most `maxScanned`
 * unfinished jobs. With a larger backlog the counts are lower bounds and `complete` is false.
 */
export async function countQueuedBatch(queue: Queue, batchNo: string, maxScanned = QUEUE_SCAN_LIMIT): Promise<QueuedBatchCounts> {
  const counts: QueuedBatchCounts = { waiting: 0, delayed: 0, active: 0, complete: true };
  counts.complete = await scanQueuedBatch(queue, batchNo, maxScanned, (group) => {
    counts[group] += 1;
  });
  return counts;
}

/** Idempotency keys of the pushes of one batch that still have a job to run. */
export interface QueuedBatchKeys {
  keys: Set<string>;
  /** False when the scan stopped at `maxScanned` jobs, so some queued pushes may be missing. */
  complete: boolean;
}

/** Reads the idempotency keys of batch `batchNo` jobs that are waiting, delayed or active. */
export async function queuedBatchKeys(queue: Queue, batchNo: string, maxScanned = QUEUE_SCAN_LIMIT): Promise<QueuedBatchKeys> {
  const keys = new Set<string>();
  const complete = await scanQueuedBatch(queue, batchNo, maxScanned, (_group, data) => {
    if (typeof data['idempotencyKey'] === 'string') keys.add(data['idempotencyKey']);
  });
  return { keys, complete };
}
