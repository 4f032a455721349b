import type { Logger } from '@student-sync/observability';
import { DEAD_LETTER_QUEUE, PUSH_QUEUE, RedisOutageLog } from '@student-sync/queue';
import { createPushBackoffStrategy, type DeadLetterQueue } from '@student-sync/queue/consumer';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { InFlightJobs } from './in-flight.ts';
import { createPushProcessor, type ProcessorDependencies, type PushJobResult } from './process-push.ts';
import { deadLetterStalled, isStalledFailure } from './stalled.ts';

export interface WorkerSettings {
  /** Redis connection for BullMQ; it must use `maxRetriesPerRequest: null`. */
  connection: Redis;
  prefix: string;
  concurrency: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  completedRetentionMs: number;
  completedRetentionCount: number;
  /** How long a job's lock lives without renewal. A worker renews it at half this while the job runs, and BullMQ's default is 30 s. */
  lockDurationMs?: number;
  /** Interval of the check that moves jobs whose lock expired back to wait. BullMQ's default is 30 s. */
  stalledIntervalMs?: number;
  /** Stalls a job may have before it is failed and dead-lettered. BullMQ's default is 1. */
  maxStalledCount?: number;
  /** Log of Redis outages that the process's other connections report to as well; one on `connection` when absent. */
  outage?: RedisOutageLog;
}

export type PushWorkerDependencies = Omit<ProcessorDependencies, 'deadLetters' | 'pushQueue'>;

export interface CloseResult {
  /** Jobs still running when the drain time ended, moved back to the wait list. */
  returned: number;
}

export interface PushWorker {
  worker: Worker<unknown, PushJobResult>;
  deadLetters: DeadLetterQueue;
  /**
   * Stops taking jobs and waits up to `drainMs` for active ones. Jobs still running then are
   * moved back to the wait list. Closes the queues but leaves Redis and Prisma open.
   */
  close(drainMs?: number): Promise<CloseResult>;
}

/** Builds the push worker and its dead-letter queue, with every listener attached. */
export function buildWorker(settings: WorkerSettings, deps: PushWorkerDependencies): PushWorker {
  const { log } = deps;
  const queueOptions = { connection: settings.connection, prefix: settings.prefix };
  const deadLetters: DeadLetterQueue = new Queue(DEAD_LETTER_QUEUE, queueOptions);
  const pushQueue = new Queue(PUSH_QUEUE, queueOptions);
  const processorDeps: ProcessorDependencies = { ...deps, deadLetters, pushQueue };
  const inFlight = new InFlightJobs();
  const processPush = createPushProcessor(processorDeps);

  const worker = new Worker<unknown, PushJobResult>(
    PUSH_QUEUE,
    async (job, token) => {
      inFlight.add(job, token);
      try {
        return await processPush(job);
      } finally {
        inFlight.delete(job);
      }
    },
    workerOptions(settings),
  );

  const outage = settings.outage ?? new RedisOutageLog(settings.connection, log);
  attachListeners(worker, processorDeps, [deadLetters, pushQueue], log, outage);

  return {
    worker,
    deadLetters,
    close: async (drainMs = Number.POSITIVE_INFINITY) => {
      const returned = await drain(worker, inFlight, drainMs, log);
      await deadLetters.close();
      await pushQueue.close();
      return { returned };
    },
  };
}

function workerOptions(settings: WorkerSettings) {
  // BullMQ counts job age in seconds.
  const retention = { age: Math.ceil(settings.completedRetentionMs / 1000), count: settings.completedRetentionCount };
  return {
    connection: settings.connection,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    name: `${hostname()}:${process.pid}`,
    autorun: false,
    // BullMQ merges these over its defaults, so an explicit undefined would replace a default.
    ...definedOnly({ lockDuration: settings.lockDurationMs, stalledInterval: settings.stalledIntervalMs, maxStalledCount: settings.maxStalledCount }),
    // Jobs added with their own removeOnComplete and removeOnFail (as ingress and replay add
    // them) keep those. Failed jobs stay as long as completed ones, while the dead-letter
    // queue keeps what operators replay.
    removeOnComplete: retention,
    removeOnFail: retention,
    settings: { backoffStrategy: createPushBackoffStrategy({ baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs }) },
  };
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, number>>;
}

function attachListeners(worker: Worker<unknown, PushJobResult>, deps: ProcessorDependencies, queues: Queue[], log: Logger, outage: RedisOutageLog): void {
  worker.on('error', outage.listener('push worker'));
  for (const queue of queues) queue.on('error', outage.listener(`queue ${queue.name}`));
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'push job stalled, moved back to wait'));
  // NOTE: BullMQ emits `failed` after the job is stored as failed, so a process that dies in
  // between leaves a stalled push failed in the main queue without a dead letter.
  worker.on('failed', (job: Job<unknown> | undefined, err: Error) => {
    if (job && isStalledFailure(err)) void deadLetterStalled(deps, job);
  });
}

/**
 * Closes the worker, waiting for active jobs at most `drainMs`. Returns how many jobs had to
 * be moved back to the wait list because they were still running.
 */
async function drain(worker: Worker, inFlight: InFlightJobs, drainMs: number, log: Logger): Promise<number> {
  const closed = worker.close().then(() => true);
  if (!Number.isFinite(drainMs)) return closed.then(() => 0);

  const timer = new AbortController();
  const expired = sleep(drainMs, false, { signal: timer.signal }).catch(() => false);
  const finished = await Promise.race([closed, expired]);
  timer.abort();
  if (finished) return 0;

  log.warn({ drainMs, active: inFlight.size }, 'push jobs still running after the drain time, returning them to the wait list');
  return inFlight.returnAll(log);
}
