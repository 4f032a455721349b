import type { Job, Queue } from 'bullmq';
import type { DeadLetterJobData, PushJobData } from '../payload.ts';

export type DeadLetterQueue = Queue<DeadLetterJobData>;

export interface DeadLetterReason {
  reason: DeadLetterJobData['reason'];
  errorCode: string;
  errorMessage: string;
  /** Attempts made, the failing one included. */
  attemptsMade: number;
}

/**
 * Adds a failed push to the dead-letter queue. The dead-letter job reuses the push job's
 * id, so a push that is reported failed twice (by its processor and by a stall check)
 * is dead-lettered once while the first entry is there.
 */
export async function deadLetterPush(queue: DeadLetterQueue, job: Job<PushJobData>, failure: DeadLetterReason): Promise<void> {
  const now = new Date().toISOString();
  const data: DeadLetterJobData = {
    push: job.data,
    originalJobId: job.id ?? '',
    errorCode: failure.errorCode,
    errorMessage: failure.errorMessage,
    attemptsMade: failure.attemptsMade,
    reason: failure.reason,
    // NOTE: BullMQ keeps no time per failed attempt, so this is when the last attempt
    // started, not when the first one failed.
    firstFailedAt: job.processedOn ? new Date(job.processedOn).toISOString() : now,
    lastFailedAt: now,
  };
  await queue.add('dead-letter', data, { jobId: job.id, removeOnComplete: true, removeOnFail: false });
}
