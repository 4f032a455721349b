import type { Server } from 'node:http';
import type { Job, Worker } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from './logger.ts';
import { createMetricsRegistry, METRIC_PREFIX, serveMetrics } from './metrics-registry.ts';

/** Seconds; one apply transaction usually takes milliseconds and is cut off at APPLY_TRANSACTION_TIMEOUT_MS (30 s by default). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ATTEMPT_BUCKETS = [1, 2, 3, 5, 8, 10, 15, 20, 50, 100];

/** Count of change details of one type that ended with one outcome, as a push job may report in its result. */
export interface ChangeCount {
  /** bg_lx as sent, e.g. KZ_BJ_ID. */
  changeType: string;
  /** APPLIED, SUPERSEDED or IGNORED. */
  outcome: string;
  count: number;
}

/** The part of a push job's return value these metrics read; every field is optional. */
export interface CountedJobResult {
  status?: string;
  changes?: ChangeCount[];
}

/** Error codes look like STUDENT_NOT_FOUND; anything else is reported as UNKNOWN to keep label values few. */
const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,40}$/;

/**
 * Attaches listeners that record job duration, attempts, failures, final failures (dead
 * letters) and applied changes of `worker` in `registry`. A failure is final when BullMQ will
 * not retry it: an UnrecoverableError, a stalled-too-often failure, or the last attempt.
 */
export function attachWorkerMetrics(worker: Worker, registry: Registry): void {
  const metrics = createWorkerMetrics(registry);

  worker.on('completed', (job: Job, result: unknown) => {
    metrics.duration.observe({ result: 'completed' }, secondsOf(job));
    metrics.attempts.observe({ result: 'completed' }, Math.max(1, job.attemptsMade));
    const counted = (result ?? {}) as CountedJobResult;
    metrics.completed.inc({ status: counted.status ?? 'unknown' });
    for (const change of counted.changes ?? []) {
      metrics.changes.inc({ change_type: change.changeType, outcome: change.outcome }, change.count);
    }
  });

  worker.on('failed', (job: Job | undefined, error: Error) => {
    const code = errorCodeOf(error);
    const final = job === undefined || isFinalFailure(job, error);
    metrics.failures.inc({ error_code: code, final: String(final) });
    if (job) metrics.duration.observe({ result: 'failed' }, secondsOf(job));
    if (!final) return;
    metrics.deadLetters.inc({ error_code: code });
    if (job) metrics.attempts.observe({ result: 'failed' }, Math.max(1, job.attemptsMade));
  });
}

function createWorkerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    duration: new Histogram({
      name: `${METRIC_PREFIX}job_duration_seconds`,
      help: 'Run time of one push job attempt, by result (completed or failed).',
      labelNames: ['result'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    attempts: new Histogram({
      name: `${METRIC_PREFIX}job_attempts`,
      help: 'Attempts a push job took when it completed or failed for the last time.',
      labelNames: ['result'],
      buckets: ATTEMPT_BUCKETS,
      registers,
    }),
    completed: new Counter({
      name: `${METRIC_PREFIX}jobs_completed_total`,
      help: 'Push jobs completed, by status (applied or already-applied).',
      labelNames: ['status'],
      registers,
    }),
    failures: new Counter({
      name: `${METRIC_PREFIX}job_failures_total`,
      help: 'Failed push job attempts, by error code and whether the failure was final.',
      labelNames: ['error_code', 'final'],
      registers,
    }),
    deadLetters: new Counter({
      name: `${METRIC_PREFIX}dead_letters_total`,
      help: 'Push jobs that failed for the last time and were dead-lettered, by error code.',
      labelNames: ['error_code'],
      registers,
    }),
    changes: new Counter({
      name: `${METRIC_PREFIX}changes_total`,
      help: 'Change details (bg_mx_list entries) processed, by change type (bg_lx) and outcome.',
      labelNames: ['change_type', 'outcome'],
      registers,
    }),
  };
}

function secondsOf(job: Job): number {
  const started = job.processedOn ?? job.timestamp;
  return Math.max(0, ((job.finishedOn ?? Date.now()) - started) / 1000);
}

function isFinalFailure(job: Job, error: Error): boolean {
  if (error.name === 'UnrecoverableError') return true;
  if (error.message.includes('stalled more than allowable limit')) return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** Reads the error code from `error.code` or from a `CODE: message` prefix, as the push processor writes it. */
export function errorCodeOf(error: Error): string {
  if (error.message.includes('stalled more than allowable limit')) return 'JOB_STALLED';
  const own = (error as { code?: unknown }).code;
  const candidate = typeof own === 'string' ? own : error.message.split(':', 1)[0]!.trim();
  return ERROR_CODE_PATTERN.test(candidate) ? candidate : 'UNKNOWN';
}

export interface WorkerMetricsOptions {
  /** Address and port of the worker's `GET /metrics` listener; port 0 serves no metrics. */
  host: string;
  port: number;
  log: Logger;
}

/**
 * Creates the worker's registry (Node process metrics included), attaches the job metrics of
 * `worker` and serves them on their own listener. Returns the server to close at shutdown,
 * or null when `port` is 0.
 */
export async function startWorkerMetrics(worker: Worker, options: WorkerMetricsOptions): Promise<Server | null> {
  const registry = createMetricsRegistry('worker');
  attachWorkerMetrics(worker, registry);
  if (options.port === 0) return null;
  const server = await serveMetrics(registry, options);
  options.log.info({ host: options.host, port: options.port }, 'worker metrics served at /metrics');
  return server;
}
