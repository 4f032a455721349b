import { createPrismaClient } from '@student-sync/db';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import path from 'node:path';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PushTarget } from '../apps/cli/src/push/signed-request.ts';
import type { Simulation } from '../apps/cli/src/simulate/simulate.ts';
import { compareStudents, type Difference } from '../apps/cli/src/verify/compare.ts';
import { StudentReader } from '../apps/cli/src/verify/student-reader.ts';
import { bundlePath, SERVICE_NODE_ARGS } from '../scripts/build.ts';
import { BenchProcess, stopAndMeasure } from './support/child-process.ts';
import type { BenchEnvironment } from './support/environment.ts';
import { runLoad } from './ingress/load.ts';
import { signAll } from './support/payloads.ts';
import { freePort } from './support/ports.ts';
import { type Series, startSampler } from './support/series.ts';
import { followFinishedJobs } from './worker/drain.ts';
import { workerEnv } from './worker/worker-phase.ts';

export interface EndToEndOptions {
  simulation: Simulation;
  connections: number;
  maxDurationMs: number;
  logDir: string;
  ingressEnv: Record<string, string>;
  workerEnv: Record<string, string>;
}

export interface EndToEndResult {
  deliveries: number;
  pushes: number;
  rejected: number;
  /** From the first request to the commit of the last APPLIED archive row. */
  durationMs: number;
  /** From the first request to the last 0000 response. */
  sendMs: number;
  pushesPerSecond: number;
  complete: boolean;
  differences: number;
  /** The first differences, personal data masked. */
  differenceSample: Difference[];
  peakRssBytes: Record<string, number | null>;
  /** Push jobs finished per second, from the first request to the last applied row. */
  series: Series;
  /** Responses per second of the load generator. */
  responseSeries: Series;
}

const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;
const SERIES_POLL_MS = 250;

/** Sends a simulated stream through a real ingress and worker and checks the final state. */
export async function runEndToEnd(environment: BenchEnvironment, client: PushTarget, options: EndToEndOptions): Promise<EndToEndResult> {
  await environment.truncate();
  await environment.deleteQueueKeys();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/v1/student-changes`;
  const ingress = new BenchProcess('ingress', bundlePath('ingress'), {
    ...environment.keys,
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    QUEUE_PREFIX: environment.queuePrefix,
    REDIS_POLICY_CHECK: 'warn',
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: String(port),
    RATE_LIMIT_PER_MINUTE: '0',
    COMPLETED_JOB_RETENTION_COUNT: '1000000',
    ...options.ingressEnv,
  }, path.join(options.logDir, 'e2e-ingress.log'), SERVICE_NODE_ARGS.ingress);
  const workerLog = path.join(options.logDir, 'e2e-worker.log');
  const worker = new BenchProcess('worker', bundlePath('worker'), workerEnv(environment, 'batch', options.workerEnv), workerLog, SERVICE_NODE_ARGS.worker);
  const processes = [ingress, worker];

  try {
    await Promise.all([ingress.waitForOutput('ingress started', START_TIMEOUT_MS), worker.waitForOutput('worker started', START_TIMEOUT_MS)]);
    const { simulation } = options;
    // Signed just before sending, because the ingress rejects timestamps older than 10 minutes.
    const pushes = signAll(simulation.deliveries, client);
    const database = new pg.Client({ connectionString: environment.databaseUrl });
    await database.connect();
    let applied = 0;
    // The series counts finished jobs in Redis from the first request, because archive rows
    // are counted only after the send.
    const finishedJobs = followFinishedJobs(environment.redisUrl, environment.queuePrefix, SERIES_POLL_MS);
    const sampler = startSampler(() => finishedJobs.finished());
    const startedAt = new Date();
    const started = performance.now();
    try {
      // The same load generator as the ingress section, so the sender takes as little of the
      // shared CPU as it can. Only 0000 comes with HTTP 200, so every other response is a rejection.
      const load = await runLoad(pushes, { url, connections: options.connections, maxDurationMs: options.maxDurationMs });
      // Measured to the last response, because the load generator reports its end only at its next one-second tick.
      const sendMs = load.durationMs;
      // Errors and timeouts produce no response, so they are among the deliveries without one.
      const rejected = load.non2xx + (pushes.length - load.requests);

      while (applied < simulation.pushCount && performance.now() - started < options.maxDurationMs) {
        const row = await database.query<{ count: string }>("SELECT count(*) FROM push_archive WHERE status = 'APPLIED'");
        applied = Number(row.rows[0]!.count);
        const stopped = processes.find((child) => !child.running);
        if (stopped) throw new Error(`${stopped.name} exited during the end-to-end run\n${stopped.output()}`);
        if (applied < simulation.pushCount) await sleep(POLL_MS);
      }
      await finishedJobs.refresh();
      const series = sampler.stop();
      const last = await database.query<{ last: Date | null }>("SELECT max(applied_at) AS last FROM push_archive WHERE status = 'APPLIED'");
      const durationMs = (last.rows[0]!.last?.getTime() ?? Date.now()) - startedAt.getTime();
      const peakRssBytes = await stopAndMeasure(processes);
      const differences = await compareWithExpected(environment, simulation);
      return {
        deliveries: pushes.length,
        pushes: simulation.pushCount,
        rejected,
        durationMs,
        sendMs,
        pushesPerSecond: simulation.pushCount / (durationMs / 1000),
        complete: applied >= simulation.pushCount,
        differences: differences.length,
        differenceSample: differences.slice(0, 10),
        peakRssBytes,
        series,
        responseSeries: load.series,
      };
    } finally {
      await finishedJobs.stop();
      await database.end();
    }
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await environment.deleteQueueKeys();
  }
}

async function compareWithExpected(environment: BenchEnvironment, simulation: Simulation): Promise<Difference[]> {
  const prisma = createPrismaClient({ databaseUrl: environment.databaseUrl, poolSize: 2 });
  try {
    const reader = new StudentReader(prisma, Keyring.parse(environment.keys.PII_ENCRYPTION_KEYS), KeyedHasher.parse(environment.keys.PII_HASH_KEY));
    const stored = await reader.readAll();
    return [...stored.integrityProblems, ...compareStudents(simulation.expected, stored.students, { allowExtra: false })];
  } finally {
    await prisma.$disconnect();
  }
}
