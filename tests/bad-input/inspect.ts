import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Queue } from 'bullmq';

/** Returns the number of jobs in every state of `queue`, finished ones included. */
export async function countJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed', 'waiting-children');
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

let collect: (() => void) | undefined;

/** Runs a full garbage collection and returns the memory usage after it. */
export function forceGc(): NodeJS.MemoryUsage {
  if (!collect) {
    // The flag exposes `gc` only in contexts created after it is set, hence the new context.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  collect();
  return process.memoryUsage();
}
