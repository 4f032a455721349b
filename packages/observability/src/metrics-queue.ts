import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics-registry.ts';

/** Job states counted at each scrape. */
export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed', 'waiting-children'] as const;

type StateCounts = Record<string, number>;

/**
 * Registers a gauge of jobs per queue and state, and `queue_store_up`. Both read the counts
 * from Redis at every scrape, so they are current across all ingress and worker processes.
 * When Redis does not respond, the job gauge is left empty and `queue_store_up` is 0, and the
 * scrape still serves every other metric.
 */
export function registerQueueDepth(registry: Registry, queues: Queue[]): Gauge<'queue' | 'state'> {
  // Both gauges of one scrape share one read, which is dropped once the scrape has taken it.
  let pending: Promise<StateCounts[] | undefined> | undefined;
  const readCounts = (): Promise<StateCounts[] | undefined> => {
    pending ??= Promise.all(queues.map((queue) => queue.getJobCounts(...COUNTED_STATES)))
      .catch(() => undefined)
      .finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };

  new Gauge({
    name: `${METRIC_PREFIX}queue_store_up`,
    help: '1 when the queue counts were read from Redis at this scrape, 0 when Redis did not respond.',
    registers: [registry],
    async collect() {
      this.set((await readCounts()) === undefined ? 0 : 1);
    },
  });
  return new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs in each queue by state, read from Redis when scraped.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await readCounts();
      this.reset();
      if (counts === undefined) return;
      queues.forEach((queue, index) => {
        for (const state of COUNTED_STATES) this.set({ queue: queue.name, state }, counts[index]![state] ?? 0);
      });
    },
  });
}
