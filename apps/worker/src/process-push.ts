import { type ApplyDependencies, type ApplyResult, type ArchivedPush, applyPush, recordFailedAttempt } from '@student-sync/db/apply';
import { ApplyError, type ChangeCount, deadLetterMessage, parseChangeTime, parsePush, type Push } from '@student-sync/domain';
import type { Logger } from '@student-sync/observability';
import { type DeadLetterQueue, deadLetterPush, firstFailureTime, logFailedAttempt, readPushJobData } from '@student-sync/queue/consumer';
import type { PushJobData } from '@student-sync/queue';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import { type AttemptFailure, describeFailure } from './failure.ts';

export interface ProcessorDependencies extends ApplyDependencies {
  deadLetters: DeadLetterQueue;
  /** The main push queue, read for the failed-attempt lines in job logs. */
  pushQueue: Queue;
  log: Logger;
  /** Upper bound on attempts, even when a job's own `attempts` option is higher. */
  maxAttempts: number;
  /** Applies one push with the contract of applyPush, e.g. through a BatchApplier; applyPush when omitted. */
  apply?: (archived: ArchivedPush, push: Push, attempt: number) => Promise<ApplyResult>;
}

/** Return value of a completed job, stored in Redis, so it contains no personal data. */
export interface PushJobResult {
  status: ApplyResult['status'];
  pushId: string;
  studentId?: string;
  /** Change details by type and outcome; the worker metrics count them. */
  changes?: ChangeCount[];
}

/**
 * Creates the BullMQ processor of push jobs. A failed attempt is archived before the error
 * is rethrown. The last attempt and any permanent error also dead-letter the push and
 * throw UnrecoverableError, so BullMQ stops retrying.
 */
export function createPushProcessor(deps: ProcessorDependencies) {
  return async function processPush(job: Job<unknown>): Promise<PushJobResult> {
    const attempt = job.attemptsMade + 1;
    const data = readJobData(job, deps.log);
    const archived = toArchivedPush(data);

    try {
      const push = openPush(deps, data);
      const result = await (deps.apply ? deps.apply(archived, push, attempt) : applyPush(deps, archived, push, attempt));
      const applied = result.status === 'applied' ? result : undefined;
      const pushId = String(result.pushId);
      // Passing the job's fields here avoids creating a pino child logger for every push.
      deps.log.info(
        { jobId: job.id, requestId: data.requestId, appKey: data.appKey, batchNo: data.batchNo, studentNo: data.studentNo, attempt, status: result.status, pushId, changes: applied?.changes },
        applied ? 'push applied' : 'push was applied before, nothing changed',
      );
      return { status: result.status, pushId, studentId: applied?.studentId, changes: applied?.changes };
    } catch (error) {
      const failure = describeFailure(error);
      const final = !failure.retryable || attempt >= attemptLimit(job, deps.maxAttempts);
      const log = deps.log.child({ jobId: job.id, requestId: data.requestId, appKey: data.appKey, batchNo: data.batchNo, studentNo: data.studentNo, attempt });
      await reportFailure(deps, log, { job: job as Job<PushJobData>, archived, failure, attempt, final, error });
      throw final ? new UnrecoverableError(`${failure.code}: ${failure.message}`) : error;
    }
  };
}

function readJobData(job: Job<unknown>, log: Logger): PushJobData {
  try {
    return readPushJobData(job.data);
  } catch (error) {
    // Without valid data there is no push to archive or dead-letter, so the job stays in
    // the failed set of the main queue for an operator to inspect.
    log.error({ err: error, jobId: job.id, code: 'INVALID_JOB_DATA' }, 'push job data is invalid, not retrying');
    throw new UnrecoverableError(`INVALID_JOB_DATA: ${(error as Error).message}`);
  }
}

/** Opens the sealed body and checks that it is the body the idempotency key was computed from. */
function openPush(deps: ProcessorDependencies, data: PushJobData): Push {
  const push = parsePush(deps.keyring.open(data.bodySealed));
  if (!data.idempotencyKey.endsWith(`:${push.bodySha256}`)) {
    throw new ApplyError('INVALID_PUSH', '推送内容的 SHA-256 与任务的幂等键不符 (body SHA-256 does not match the idempotency key of the job)');
  }
  return push;
}

function attemptLimit(job: Job<unknown>, maxAttempts: number): number {
  return Math.min(job.opts.attempts ?? 1, maxAttempts);
}

export function toArchivedPush(data: PushJobData): ArchivedPush {
  return {
    idempotencyKey: data.idempotencyKey,
    appKey: data.appKey,
    requestId: data.requestId === '' ? null : data.requestId,
    receivedAt: new Date(data.receivedAt),
    // Jobs of earlier versions carry the numbers untrimmed.
    batchNo: data.batchNo?.trim() || null,
    studentNo: data.studentNo.trim(),
    operation: data.operation,
    changedAt: parseChangeTime(data.changeTime) ?? new Date(data.receivedAt),
    bodySealed: data.bodySealed,
  };
}

interface FailureReport {
  job: Job<PushJobData>;
  archived: ArchivedPush;
  failure: AttemptFailure;
  attempt: number;
  final: boolean;
  error: unknown;
}

/**
 * Logs the failed attempt on the job, archives it and, when it is the last one, dead-letters
 * the push. Errors while reporting are logged and swallowed so the attempt's own error still
 * reaches BullMQ.
 */
async function reportFailure(deps: ProcessorDependencies, log: Logger, report: FailureReport): Promise<void> {
  const { failure, attempt, final } = report;
  const fields = { err: report.error, code: failure.code, attempts: attempt };
  if (final) log.error(fields, failure.retryable ? 'push failed on its last attempt, dead-lettering' : 'push failed permanently, dead-lettering');
  else log.warn(fields, 'push apply failed, will retry');

  try {
    await logFailedAttempt(report.job, attempt, failure.code);
  } catch (error) {
    log.error({ err: error, code: failure.code }, 'writing the failed attempt to the job log failed');
  }

  try {
    await recordFailedAttempt(deps.prisma, report.archived, {
      status: final ? 'DEAD' : 'RETRYING',
      attempts: attempt,
      errorCode: failure.code,
      errorMessage: failure.message,
    });
  } catch (error) {
    log.error({ err: error, code: failure.code }, 'recording the failed attempt in push_archive failed');
  }

  if (!final) return;
  try {
    await deadLetterPush(deps.deadLetters, report.job, {
      reason: failure.retryable ? 'exhausted' : 'permanent',
      errorCode: failure.code,
      errorMessage: deadLetterMessage(failure.code, failure.message),
      attemptsMade: attempt,
      firstFailedAt: await firstFailureTime(deps.pushQueue, report.job.id!),
    });
  } catch (error) {
    log.error({ err: error, code: failure.code }, 'adding the push to the dead-letter queue failed');
  }
}
