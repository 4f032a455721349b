import type { Job, Queue } from 'bullmq';
import type { DeadLetterJobData, PushJobData } from '../payload.ts';
import { pushJobName } from '../names.ts';
import { pushJobId } from '../push-queue.ts';

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

/** Times a dead letter is added again when a replay moves it between the add and the read-back. */
const MAX_ADD_TRIES = 3;

/**
 * Returns the dead-letter id of a push: the id of its first job, from its idempotency key.
 * Every job of one push (resent, replayed or re-driven) therefore shares one dead letter.
 */
export function deadLetterJobId(push: PushJobData): string {
  return pushJobId(push.idempotencyKey);
}

/**
 * Adds a failed push to the dead-letter queue, one entry per push. A job reported failed twice
 * (by its processor and by a stall check) keeps its first entry. When another job of the same
 * push failed before and its entry is still there, that entry is updated to this failure, and
 * keeps the earlier first-failure time.
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
  const id = deadLetterJobId(job.data);
  let lastError: unknown;
  for (let tries = 0; tries < MAX_ADD_TRIES; tries++) {
    // An add under an id that exists changes nothing, so the entry is read back to tell which one is stored.
    await queue.add(`${DEAD_LETTER_JOB_NAME} ${pushJobName(job.data)}`, data, { jobId: id, removeOnComplete: true, removeOnFail: false });
    const stored = await queue.getJob(id);
    if (stored === undefined) continue;
    if (stored.data.originalJobId === data.originalJobId) return;
    try {
      await stored.updateData({ ...data, firstFailedAt: earlier(stored.data.firstFailedAt, data.firstFailedAt) });
      return;
    } catch (error) {
      // A replay removed the entry after the read, so the next round adds it again.
      lastError = error;
    }
  }
  throw lastError ?? new Error(`dead letter ${id} was removed ${MAX_ADD_TRIES} times while it was being added`);
}

function earlier(first: string, second: string): string {
  return Date.parse(first) <= Date.parse(second) ? first : second;
}
