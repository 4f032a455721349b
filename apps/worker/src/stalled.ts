import { recordFailedAttempt } from '@student-sync/db/apply';
import { type ApplyErrorCode, deadLetterMessage } from '@student-sync/domain';
import type { PushJobData } from '@student-sync/queue';
import { deadLetterPush, firstFailureTime, logFailedAttempt, readPushJobData } from '@student-sync/queue/consumer';
import type { Job } from 'bullmq';
import { type ProcessorDependencies, toArchivedPush } from './process-push.ts';

/**
 * Failure reason BullMQ 5.81 gives a job that stalled more often than maxStalledCount allows.
 * Its stall check marks such a job as a deferred failure and moves it back to wait. The next
 * worker that takes the job fails it with this message without calling the processor.
 */
export const STALLED_REASON = 'job stalled more than allowable limit';

const STALLED_CODE: ApplyErrorCode = 'JOB_STALLED';

/** Returns true when a worker's `failed` event is the deferred failure of a stalled job. */
export function isStalledFailure(error: Error): boolean {
  return error.message === STALLED_REASON;
}

/**
 * Archives and dead-letters a job that stalled too often. BullMQ fails such a job without
 * running its processor, so the processor's own failure handling never runs for it.
 */
export async function deadLetterStalled(deps: ProcessorDependencies, job: Job<unknown>): Promise<void> {
  const log = deps.log.child({ jobId: job.id });
  try {
    const data = readPushJobData(job.data);
    const pushJob = job as Job<PushJobData>;
    log.error({ code: STALLED_CODE, attempts: job.attemptsMade, batchNo: data.batchNo, studentNo: data.studentNo }, 'push job stalled too often, dead-lettering');
    await logFailedAttempt(pushJob, job.attemptsMade, STALLED_CODE).catch((err: unknown) =>
      log.error({ err, code: STALLED_CODE }, 'writing the stalled attempt to the job log failed'),
    );
    await recordFailedAttempt(deps.prisma, toArchivedPush(data), {
      status: 'DEAD',
      attempts: job.attemptsMade,
      errorCode: STALLED_CODE,
      errorMessage: STALLED_REASON,
    }).catch((err: unknown) => log.error({ err, code: STALLED_CODE }, 'recording the stalled push in push_archive failed'));
    await deadLetterPush(deps.deadLetters, pushJob, {
      reason: 'stalled',
      errorCode: STALLED_CODE,
      errorMessage: deadLetterMessage(STALLED_CODE, STALLED_REASON),
      attemptsMade: job.attemptsMade,
      firstFailedAt: await firstFailureTime(deps.pushQueue, job.id!),
    });
  } catch (err) {
    log.error({ err }, 'dead-lettering a stalled push failed');
  }
}
