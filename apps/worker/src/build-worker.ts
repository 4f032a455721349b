import { recordFailedAttempt } from '@student-sync/db/apply';
import type { ApplyErrorCode } from '@student-sync/domain';
import type { Logger } from '@student-sync/observability';
import { DEAD_LETTER_QUEUE, PUSH_QUEUE, type PushJobData } from '@student-sync/queue';
import { createPushBackoffStrategy, type DeadLetterQueue, deadLetterPush, readPushJobData } from '@student-sync/queue/consumer';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { createPushProcessor, type ProcessorDependencies, type PushJobResult, toArchivedPush } from './process-push.ts';

/** BullMQ 5.81 fails a job with this reason when it stalled more often than maxStalledCount allows. */
const STALLED_REASON = 'job stalled more than allowable limit';

export interface WorkerSettings {
  /** Redis connection for BullMQ; it must use `maxRetriesPerRequest: null`. */
  connection: Redis;
  prefix: string;
  concurrency: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  completedRetentionMs: number;
  completedRetentionCount: number;
}

export type PushWorkerDependencies = Omit<ProcessorDependencies, 'deadLetters'>;

export interface PushWorker {
  worker: Worker<unknown, PushJobResult>;
  deadLetters: DeadLetterQueue;
  /** Stops taking jobs, waits for active ones, then closes the queues. Leaves Redis and Prisma open. */
  close(): Promise<void>;
}

/** Builds the push worker and its dead-letter queue, with every listener attached. */
export function buildWorker(settings: WorkerSettings, deps: PushWorkerDependencies): PushWorker {
  const { log } = deps;
  const deadLetters: DeadLetterQueue = new Queue(DEAD_LETTER_QUEUE, { connection: settings.connection, prefix: settings.prefix });
  const processor = createPushProcessor({ ...deps, deadLetters });
  const retention = { age: Math.ceil(settings.completedRetentionMs / 1000), count: settings.completedRetentionCount };

  const worker = new Worker<unknown, PushJobResult>(PUSH_QUEUE, processor, {
    connection: settings.connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    name: `${hostname()}:${process.pid}`,
    autorun: false,
    removeOnComplete: retention,
    // Failed jobs stay as long as completed ones; the dead-letter queue keeps what operators replay.
    removeOnFail: retention,
    settings: { backoffStrategy: createPushBackoffStrategy({ baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs }) },
  });

  worker.on('error', (err) => log.error({ err }, 'push worker error'));
  deadLetters.on('error', (err) => log.error({ err }, 'dead-letter queue error'));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'push job stalled, moved back to wait'));
  worker.on('failed', (job, err) => {
    if (job && err.message === STALLED_REASON) void deadLetterStalled({ ...deps, deadLetters }, job);
  });

  return {
    worker,
    deadLetters,
    close: async () => {
      await worker.close();
      await deadLetters.close();
    },
  };
}

/**
 * Archives and dead-letters a job that stalled too often. BullMQ fails such a job without
 * running its processor, so the processor's own failure handling never runs for it.
 */
async function deadLetterStalled(deps: ProcessorDependencies, job: Job<unknown>): Promise<void> {
  const log = deps.log.child({ jobId: job.id });
  try {
    const data = readPushJobData(job.data);
    const failure = { errorCode: 'JOB_STALLED' satisfies ApplyErrorCode, errorMessage: STALLED_REASON, attemptsMade: job.attemptsMade };
    log.error({ code: failure.errorCode, attempts: job.attemptsMade }, 'push job stalled too often, dead-lettering');
    await recordFailedAttempt(deps.prisma, toArchivedPush(data), {
      status: 'DEAD',
      attempts: job.attemptsMade,
      errorCode: failure.errorCode,
      errorMessage: failure.errorMessage,
    });
    await deadLetterPush(deps.deadLetters, job as Job<PushJobData>, { reason: 'stalled', ...failure });
  } catch (err) {
    log.error({ err }, 'dead-lettering a stalled push failed');
  }
}
