import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics-registry.ts';

/** Job states counted at each scrape. */
export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed', 'waiting-children'] as const;

/**
 * Registers a gauge of jobs per queue and state. It reads the counts from Redis at every
 * scrape, so its value is current across all ingress and worker processes.
 */
export function registerQueueDepth(registry: Registry, queues: Queue[]): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs in each queue by state, read from Redis when scraped.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...COUNTED_STATES)));
      this.reset();
      queues.forEach((queue, index) => {
        for (const state of COUNTED_STATES) this.set({ queue: queue.name, state }, counts[index]![state] ?? 0);
      });
    },
  });
}
