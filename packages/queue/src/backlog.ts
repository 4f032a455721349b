import type { Queue } from 'bullmq';
import { withQueueTimeout } from './timeout.ts';

export interface BacklogMonitorOptions {
  /** A count younger than this is reused; 0 counts on every call. */
  refreshIntervalMs: number;
  timeoutMs: number;
  now?: () => number;
}

/**
 * Counts jobs not yet started (waiting, delayed, prioritized, paused). Counting costs a
 * Redis round trip, so under a burst one count is shared by all requests of an interval,
 * and concurrent callers share one count in flight.
 */
export class BacklogMonitor {
  private count = 0;
  private countedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<number> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly queue: Queue,
    private readonly options: BacklogMonitorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async current(): Promise<number> {
    if (this.now() - this.countedAt < this.options.refreshIntervalMs) return this.count;
    this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async refresh(): Promise<number> {
    this.count = await withQueueTimeout(this.queue.count(), this.options.timeoutMs, 'counting the queue backlog');
    this.countedAt = this.now();
    return this.count;
  }
}
