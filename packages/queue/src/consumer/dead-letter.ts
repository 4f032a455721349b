import type { Job, Queue } from 'bullmq';
import type { DeadLetterJobData, PushJobData } from '../payload.ts';
import { pushJobName } from '../names.ts';

export type DeadLetterQueue = Queue<DeadLetterJobData>;

/** Start of every dead-letter job name; the push job name follows it. */
export const DEAD_LETTER_JOB_NAME = 'dead-letter';

export interface DeadLetterReason {
  reason: DeadLetterJobData['reason'];
  errorCode: string;
  errorMessage: string;
  /** Attempts made, the failing one included. */
  attemptsMade: number;
  /** ISO time of the first failed attempt; when unknown, the start of the last attempt is used. */
  firstFailedAt?: string;
}

/**
 * Adds a failed push to the dead-letter queue under the failed job's id. A push reported
 * failed twice (by its processor and by a stall check) is therefore dead-lettered once, and
 * a replayed push, which runs under a new job id, gets its own entry if it fails again.
 */
export async function deadLetterPush(queue: DeadLetterQueue, job: Job<PushJobData>, failure: DeadLetterReason): Promise<void> {
  const now = new Date().toISOString();
  const lastAttemptStart = job.processedOn ? new Date(job.processedOn).toISOString() : now;
  const data: DeadLetterJobData = {
    push: job.data,
    originalJobId: job.id ?? '',
    errorCode: failure.errorCode,
    errorMessage: failure.errorMessage,
    attemptsMade: failure.attemptsMade,
    reason: failure.reason,
    firstFailedAt: failure.firstFailedAt ?? lastAttemptStart,
    lastFailedAt: now,
  };
  await queue.add(`${DEAD_LETTER_JOB_NAME} ${pushJobName(job.data)}`, data, { jobId: job.id, removeOnComplete: true, removeOnFail: false });
}
