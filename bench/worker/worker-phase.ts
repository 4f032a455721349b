import path from 'node:path';
import { bundlePath } from '../../scripts/build.ts';
import { BenchProcess, stopAndMeasure } from '../support/child-process.ts';
import { countPipelineRows, type PipelineCounts } from '../support/database-counts.ts';
import type { BenchEnvironment } from '../support/environment.ts';
import type { Series } from '../support/series.ts';
import { waitForDrain } from './drain.ts';
import { type JobPolicy, preloadPushJobs } from './preload.ts';

export const WORKER_TARGETS = ['noop', 'single', 'batch'] as const;
export type WorkerTarget = (typeof WORKER_TARGETS)[number];

export interface WorkerPhaseOptions {
  bodies: readonly string[];
  appKey: string;
  targets: readonly WorkerTarget[];
  /** Rounds of the noop and batch targets; single, which takes about a minute, runs in the first round only. */
  rounds: number;
  maxDurationMs: number;
  logDir: string;
  /** Extra environment of the worker process per apply mode. */
  workerEnv: Record<'single' | 'batch', Record<string, string>>;
  /** Called after a target drained its jobs, before the next target's keys are deleted. */
  onDrained?: (target: WorkerTarget, round: number) => Promise<unknown>;
}

export interface WorkerTargetResult {
  target: WorkerTarget;
  /** Round of the measurement, from 1; compare targets within one round. */
  round: number;
  jobs: number;
  finished: number;
  failed: number;
  complete: boolean;
  durationMs: number;
  pushesPerSecond: number;
  changesPerSecond: number;
  rows: PipelineCounts;
  peakRssBytes: number | null;
  series: Series;
}

const START_TIMEOUT_MS = 60_000;
/** Short retries, so an UPDATE that overtakes its ADD waits for it a few hundred milliseconds at most. */
export const BENCH_JOB_POLICY: JobPolicy = { attempts: 30, backoffBaseMs: 100, retentionMs: 3_600_000, retentionCount: 1_000_000 };

/**
 * Preloads the same jobs for each target, then measures how fast one worker process drains
 * them; the targets run in order once per round.
 */
export async function runWorkerPhase(environment: BenchEnvironment, options: WorkerPhaseOptions): Promise<WorkerTargetResult[]> {
  const results: WorkerTargetResult[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const target of options.targets) {
      if (target === 'single' && round > 1) continue;
      results.push(await measureTarget(target, round, environment, options));
    }
  }
  await environment.deleteQueueKeys();
  return results;
}

async function measureTarget(target: WorkerTarget, round: number, environment: BenchEnvironment, options: WorkerPhaseOptions): Promise<WorkerTargetResult> {
  await environment.truncate();
  await environment.deleteQueueKeys();
  const jobs = await preloadPushJobs(environment, options.bodies, options.appKey, BENCH_JOB_POLICY);
  const worker = startWorker(target, round, environment, options);
  try {
    await worker.waitForOutput('started', START_TIMEOUT_MS);
    const drain = await waitForDrain(environment.redisUrl, environment.queuePrefix, jobs, options.maxDurationMs, [worker]);
    const peaks = await stopAndMeasure([worker]);
    await options.onDrained?.(target, round);
    const rows = await countPipelineRows(environment.databaseUrl);
    const seconds = drain.durationMs / 1000;
    return {
      target,
      round,
      jobs,
      ...drain,
      pushesPerSecond: drain.finished / seconds,
      changesPerSecond: rows.changes / seconds,
      rows,
      peakRssBytes: peaks[worker.name] ?? null,
    };
  } finally {
    await worker.stop();
  }
}

/** Environment of a worker process of the benchmark; `mode` is its WORKER_APPLY_MODE. */
export function workerEnv(environment: BenchEnvironment, mode: 'single' | 'batch', extra: Record<string, string>): Record<string, string> {
  return {
    ...environment.keys,
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    QUEUE_PREFIX: environment.queuePrefix,
    REDIS_POLICY_CHECK: 'warn',
    WORKER_APPLY_MODE: mode,
    JOB_ATTEMPTS: String(BENCH_JOB_POLICY.attempts),
    JOB_BACKOFF_BASE_MS: String(BENCH_JOB_POLICY.backoffBaseMs),
    JOB_BACKOFF_MAX_MS: '2000',
    COMPLETED_JOB_RETENTION_COUNT: String(BENCH_JOB_POLICY.retentionCount),
    COMPLETED_JOB_RETENTION_MS: String(BENCH_JOB_POLICY.retentionMs),
    ...extra,
  };
}

function startWorker(target: WorkerTarget, round: number, environment: BenchEnvironment, options: WorkerPhaseOptions): BenchProcess {
  const logFile = path.join(options.logDir, options.rounds > 1 ? `worker-${target}-round${round}.log` : `worker-${target}.log`);
  if (target === 'noop') {
    return new BenchProcess('worker-noop', 'bench/worker/noop-worker.ts', { REDIS_URL: environment.redisUrl, QUEUE_PREFIX: environment.queuePrefix }, logFile);
  }
  return new BenchProcess(`worker-${target}`, bundlePath('worker'), workerEnv(environment, target, options.workerEnv[target]), logFile);
}
