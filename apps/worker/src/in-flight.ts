import type { Logger } from '@student-sync/observability';
import type { Job } from 'bullmq';

/** Jobs this process is running, with the lock token each was taken with. */
export class InFlightJobs {
  private readonly jobs = new Map<string, { job: Job; token: string }>();

  add(job: Job, token: string | undefined): void {
    if (job.id !== undefined && token !== undefined) this.jobs.set(job.id, { job, token });
  }

  delete(job: Job): void {
    if (job.id !== undefined) this.jobs.delete(job.id);
  }

  get size(): number {
    return this.jobs.size;
  }

  /**
   * Moves every job still running back to the wait list and releases its lock, so another
   * worker takes it at once instead of after a stall check. The attempt is not counted as
   * failed. Returns how many jobs were moved.
   */
  async returnAll(log: Logger): Promise<number> {
    const running = [...this.jobs.values()];
    this.jobs.clear();
    // In parallel, because a worker applying pushes in groups can hold thousands of jobs.
    const outcomes = await Promise.allSettled(running.map(({ job, token }) => job.moveToWait(token)));
    outcomes.forEach((outcome, index) => {
      const jobId = running[index]!.job.id;
      if (outcome.status === 'rejected') log.error({ err: outcome.reason, jobId }, 'returning a push job to the wait list failed, a stall check will recover it');
    });
    const returned = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    log.warn({ returned, failed: running.length - returned }, 'push jobs returned to the wait list at shutdown');
    return returned;
  }
}
