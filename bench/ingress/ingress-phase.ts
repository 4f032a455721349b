import path from 'node:path';
import type { PushTarget } from '../../apps/cli/src/push/signed-request.ts';
import { bundlePath, SERVICE_NODE_ARGS } from '../../scripts/build.ts';
import { BenchProcess, stopAndMeasure } from '../support/child-process.ts';
import type { BenchEnvironment } from '../support/environment.ts';
import { freePort } from '../support/ports.ts';
import { signAll } from '../support/payloads.ts';
import { type LoadResult, runLoad } from './load.ts';

export const INGRESS_TARGETS = ['bare', 'sign', 'enqueue', 'ingress'] as const;
export type IngressTarget = (typeof INGRESS_TARGETS)[number];

export interface IngressPhaseOptions {
  bodies: readonly string[];
  /** Targets measured in each round, in the order of INGRESS_TARGETS whatever the order given. */
  targets: readonly IngressTarget[];
  /** Pushes sent before measuring, taken from the start of `bodies`. */
  warmupCount: number;
  connections: number;
  maxDurationMs: number;
  /** Times every target is measured, all targets in order each round. */
  rounds: number;
  logDir: string;
  /** Extra environment of the ingress process. */
  ingressEnv: Record<string, string>;
}

export interface IngressTargetResult extends LoadResult {
  target: IngressTarget;
  /** Round of the measurement, from 1; compare targets within one round. */
  round: number;
  peakRssBytes: number | null;
  /** CPU time of the server process per response during the measured load, in microseconds. */
  serverCpuMicrosPerRequest: number | null;
  /** CPU time of Redis per response during the measured load, in microseconds. */
  redisCpuMicrosPerRequest: number | null;
}

const START_TIMEOUT_MS = 60_000;
const INGRESS_PATH = '/api/v1/student-changes';

/**
 * Loads each target in turn with the same signed pushes, one process at a time, and repeats
 * the sequence for each round, so slow drift of the machine's speed affects every target of a
 * round alike.
 */
export async function runIngressPhase(environment: BenchEnvironment, client: PushTarget, options: IngressPhaseOptions): Promise<IngressTargetResult[]> {
  const results: IngressTargetResult[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const target of INGRESS_TARGETS.filter((name) => options.targets.includes(name))) results.push(await measureTarget(target, round, environment, client, options));
  }
  return results;
}

async function measureTarget(target: IngressTarget, round: number, environment: BenchEnvironment, client: PushTarget, options: IngressPhaseOptions): Promise<IngressTargetResult> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${INGRESS_PATH}`;
  const server = startTarget(target, round, port, environment, client, options);
  try {
    await server.waitForOutput(target === 'ingress' ? 'ingress started' : 'listening on', START_TIMEOUT_MS);
    // Signed right before sending, because the ingress rejects timestamps older than 10 minutes.
    const pushes = signAll(options.bodies, client);
    await runLoad(pushes.slice(0, options.warmupCount), { url, connections: options.connections, maxDurationMs: options.maxDurationMs });
    const cpuBefore = { server: server.cpuSeconds(), redis: await environment.redisCpuSeconds() };
    const load = await runLoad(pushes.slice(options.warmupCount), { url, connections: options.connections, maxDurationMs: options.maxDurationMs });
    const cpuAfter = { server: server.cpuSeconds(), redis: await environment.redisCpuSeconds() };
    const peaks = await stopAndMeasure([server]);
    return {
      target,
      round,
      ...load,
      peakRssBytes: peaks[server.name] ?? null,
      serverCpuMicrosPerRequest: microsPerRequest(cpuBefore.server, cpuAfter.server, load.requests),
      redisCpuMicrosPerRequest: microsPerRequest(cpuBefore.redis, cpuAfter.redis, load.requests),
    };
  } finally {
    await server.stop();
    // The next target gets the same job ids, so it must not find them taken.
    await environment.deleteQueueKeys();
  }
}

function microsPerRequest(before: number | null, after: number | null, requests: number): number | null {
  if (before === null || after === null || !Number.isFinite(before) || !Number.isFinite(after) || requests === 0) return null;
  return ((after - before) * 1_000_000) / requests;
}

function startTarget(target: IngressTarget, round: number, port: number, environment: BenchEnvironment, client: PushTarget, options: IngressPhaseOptions): BenchProcess {
  const logFile = path.join(options.logDir, options.rounds > 1 ? `ingress-${target}-round${round}.log` : `ingress-${target}.log`);
  if (target !== 'ingress') {
    return new BenchProcess(`baseline-${target}`, 'bench/ingress/baseline-server.ts', {
      BASELINE_MODE: target,
      BASELINE_PORT: String(port),
      BASELINE_PATH: INGRESS_PATH,
      BASELINE_APP_KEY: client.appKey,
      BASELINE_SIGN_KEY: client.signKey,
      REDIS_URL: environment.redisUrl,
      QUEUE_PREFIX: environment.queuePrefix,
    }, logFile);
  }
  return new BenchProcess('ingress', bundlePath('ingress'), {
    ...environment.keys,
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    QUEUE_PREFIX: environment.queuePrefix,
    REDIS_POLICY_CHECK: 'warn',
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: String(port),
    INGRESS_PATH,
    // The default of 6000 per minute and app-key would turn most benchmark requests into 429s.
    RATE_LIMIT_PER_MINUTE: '0',
    QUEUE_BACKLOG_LIMIT: '10000000',
    ...options.ingressEnv,
  }, logFile, SERVICE_NODE_ARGS.ingress);
}

