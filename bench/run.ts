// Benchmark of ingress, workers and the whole pipeline against local Redis and PostgreSQL.
// Usage: npm run bench [-- --smoke]. See docs/benchmarks.md for what each figure means.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ServiceHandle } from '@student-sync/devservices';
import { buildServices } from '../scripts/build.ts';
import { runEndToEnd } from './end-to-end.ts';
import { runIngressPhase } from './ingress/ingress-phase.ts';
import { type BenchOptions, parseBenchOptions } from './options.ts';
import { renderPlotPage } from './report/plot.ts';
import type { BenchResults } from './report/results.ts';
import { summarise } from './report/summary.ts';
import { formatTables } from './report/table.ts';
import { REPO_ROOT } from './support/child-process.ts';
import { type BenchEnvironment, BenchSettingError, createBenchEnvironment, ensureBenchServers } from './support/environment.ts';
import { registerClient, simulateStream } from './support/payloads.ts';
import { measureReferenceWork } from './support/reference-work.ts';
import { runWorkerPhase } from './worker/worker-phase.ts';

/** Worker settings per apply mode; the pool covers the transactions each mode runs at once. */
const SINGLE_WORKER_ENV = { WORKER_CONCURRENCY: '8', DATABASE_POOL_SIZE: '10' };
const BATCH_WORKER_ENV = { WORKER_CONCURRENCY: '2', WORKER_BATCH_SIZE: '500', DATABASE_POOL_SIZE: '4' };

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }

  const startedAt = new Date().toISOString();
  const outDir = path.resolve(REPO_ROOT, options.outDir);
  const logDir = path.join(outDir, `logs-${startedAt.replace(/[:.]/g, '-')}`);
  await mkdir(logDir, { recursive: true });

  // The ingress and worker run from their bundles, as in production, built from the current sources.
  await buildServices();
  const servers = await ensureBenchServers(process.env);
  let results: BenchResults;
  try {
    const environment = await createBenchEnvironment(process.env);
    disposeOnAbort(environment, servers);
    try {
      results = await runSections(environment, options, startedAt, logDir);
    } finally {
      await environment.dispose();
    }
    results.redisMemory.push({ point: 'after cleanup', bytes: await measureRedisAfterCleanup(environment) });
  } finally {
    // Only servers this run started are stopped, so servers found running stay up.
    for (const server of [...servers].reverse()) await server.stop();
  }

  const stem = path.join(outDir, `bench-${startedAt.replace(/[:.]/g, '-')}`);
  await writeFile(`${stem}.json`, `${JSON.stringify(results, null, 1)}\n`);
  await writeFile(`${stem}.html`, renderPlotPage(results));
  process.stdout.write(`${formatTables(results)}\n\nresults: ${stem}.json\nplot: ${stem}.html\nprocess logs: ${logDir}\n`);
  if (!allChecksPassed(results)) process.exitCode = 1;
}

async function runSections(environment: BenchEnvironment, options: BenchOptions, startedAt: string, logDir: string): Promise<BenchResults> {
  const results: BenchResults = {
    startedAt,
    smoke: options.smoke,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', memoryBytes: os.totalmem(), node: process.versions.node, loadAverageAtStart: os.loadavg()[0]!, loadAverageAtEnd: 0, referenceWorkMs: measureReferenceWork() },
    settings: { ...options, sections: options.sections.join(','), ingressTargets: options.ingressTargets.join(','), workerTargets: options.workerTargets.join(','), ...prefixed('single.', SINGLE_WORKER_ENV), ...prefixed('batch.', BATCH_WORKER_ENV) },
    ingress: [],
    worker: [],
    summary: summarise([], []),
    endToEnd: null,
    redisMemory: [{ point: 'before', bytes: await environment.redisUsedMemory() }],
    harnessPeakRssBytes: 0,
  };
  const client = await registerClient(environment, 'http://127.0.0.1/unused');
  const note = (point: string) => environment.redisUsedMemory().then((bytes) => results.redisMemory.push({ point, bytes }));

  if (options.sections.includes('ingress')) {
    const bodies = simulateStream('bench-ingress', options.ingressStudents).deliveries;
    results.ingress = await runIngressPhase(environment, client, {
      bodies,
      targets: options.ingressTargets,
      warmupCount: options.ingressWarmup,
      connections: options.connections,
      rounds: options.rounds,
      maxDurationMs: options.ingressMaxMs,
      logDir,
      ingressEnv: {},
    });
    await note('after ingress runs (keys deleted)');
  }

  const pipeline = simulateStream('bench-pipeline', options.pipelineStudents);
  if (options.sections.includes('worker')) {
    results.worker = await runWorkerPhase(environment, {
      bodies: pipeline.deliveries,
      appKey: client.appKey,
      targets: options.workerTargets,
      rounds: options.rounds,
      maxDurationMs: options.workerMaxMs,
      logDir,
      workerEnv: { single: SINGLE_WORKER_ENV, batch: BATCH_WORKER_ENV },
      onDrained: (target, round) => note(`after worker ${target}${options.rounds > 1 ? ` (round ${round})` : ''}, before key deletion`),
    });
  }

  if (options.sections.includes('e2e')) {
    const stream = options.endToEndStudents === options.pipelineStudents ? pipeline : simulateStream('bench-e2e', options.endToEndStudents);
    results.endToEnd = await runEndToEnd(environment, client, {
      simulation: stream,
      connections: options.connections,
      maxDurationMs: options.endToEndMaxMs,
      logDir,
      ingressEnv: {},
      workerEnv: BATCH_WORKER_ENV,
    });
    await note('after end to end (keys deleted)');
  }
  results.summary = summarise(results.ingress, results.worker);
  results.harnessPeakRssBytes = process.resourceUsage().maxRSS * 1024;
  results.machine.loadAverageAtEnd = os.loadavg()[0]!;
  return results;
}

/**
 * Drops the database and queue keys, and stops the servers this run started, when the run is
 * interrupted or a library throws outside any await.
 */
function disposeOnAbort(environment: BenchEnvironment, servers: ServiceHandle[]): void {
  const abort = (reason: unknown) => {
    process.stderr.write(`benchmark aborted: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    void environment
      .dispose()
      .then(async () => {
        for (const server of [...servers].reverse()) await server.stop();
      })
      .finally(() => process.exit(1));
  };
  process.once('SIGINT', abort);
  process.once('uncaughtException', abort);
}

/** Reads used_memory once more after the run's keys and database are gone. */
async function measureRedisAfterCleanup(environment: BenchEnvironment): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(environment.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN);
  } finally {
    redis.disconnect();
  }
}

/** Returns false when a push went missing or the end-to-end state differs from the simulator's. */
function allChecksPassed(results: BenchResults): boolean {
  const workersDrained = results.worker.every((row) => row.complete && row.failed === 0);
  const endToEnd = results.endToEnd;
  const endToEndExact = endToEnd === null || (endToEnd.complete && endToEnd.differences === 0 && endToEnd.rejected === 0);
  return workersDrained && endToEndExact;
}

function prefixed(prefix: string, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [prefix + key, value]));
}

try {
  await main();
} catch (error) {
  if (!(error instanceof BenchSettingError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
