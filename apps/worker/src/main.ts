import type { Server } from 'node:http';
import { ConfigError, parseWorkerEnv, type WorkerEnv } from '@student-sync/config';
import { createPrismaClient } from '@student-sync/db';
import { exitUnlessMigrationsCurrent } from '@student-sync/db/migrate';
import { BatchApplier } from '@student-sync/db/apply-batch';
import { createLogger, installShutdown, type LoggerOptions, listenOrExit, startWorkerMetrics } from '@student-sync/observability';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { closeRedisConnection, createRedisConnection, enforceRedisPolicy, RedisOutageLog, waitForRedisReady } from '@student-sync/queue';
import { buildWorker } from './build-worker.ts';

/** How long the start waits for Redis before giving up. */
const REDIS_READY_TIMEOUT_MS = 10_000;
/** Part of the shutdown grace period kept for returning unfinished jobs and closing connections. */
const SHUTDOWN_RESERVE_MS = 2_000;

const config = loadConfig();
const log = createLogger({ name: 'worker', level: config.LOG_LEVEL as LoggerOptions['level'] });

const redis = createRedisConnection(config.REDIS_URL, { role: 'worker', connectionName: 'student-sync-worker' });
const outage = new RedisOutageLog(redis, log);
redis.on('error', outage.listener('redis connection'));
try {
  await waitForRedisReady(redis, REDIS_READY_TIMEOUT_MS);
} catch (err) {
  log.fatal({ err, timeoutMs: REDIS_READY_TIMEOUT_MS }, 'redis is not reachable, check REDIS_URL');
  redis.disconnect();
  process.exit(1);
}

await enforceRedisPolicy(redis, config.REDIS_POLICY_CHECK, log);

await exitUnlessMigrationsCurrent(config.DATABASE_URL, log);

const prisma = createPrismaClient({
  databaseUrl: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  onPoolError: (err) => log.error({ err }, 'idle database connection failed'),
});
const applyDeps = {
  prisma,
  keyring: Keyring.parse(config.PII_ENCRYPTION_KEYS),
  hasher: KeyedHasher.parse(config.PII_HASH_KEY),
  transactionTimeoutMs: config.APPLY_TRANSACTION_TIMEOUT_MS,
};
const batchApplier =
  config.WORKER_APPLY_MODE === 'batch'
    ? new BatchApplier(applyDeps, {
        maxBatchSize: config.WORKER_BATCH_SIZE,
        maxConcurrentBatches: config.WORKER_CONCURRENCY,
        onGroupFailed: (err, size) => log.warn({ err, size }, 'group apply failed, applying its pushes one by one'),
      })
    : undefined;
// In batch mode BullMQ must hand out enough jobs to fill every transaction slot with a full
// group, plus one group that forms while all slots are busy and starts as soon as one frees up.
const jobConcurrency = batchApplier ? (config.WORKER_CONCURRENCY + 1) * config.WORKER_BATCH_SIZE : config.WORKER_CONCURRENCY;
const pushWorker = buildWorker(
  {
    connection: redis,
    prefix: config.QUEUE_PREFIX,
    concurrency: jobConcurrency,
    backoffBaseMs: config.JOB_BACKOFF_BASE_MS,
    backoffMaxMs: config.JOB_BACKOFF_MAX_MS,
    completedRetentionMs: config.COMPLETED_JOB_RETENTION_MS,
    completedRetentionCount: config.COMPLETED_JOB_RETENTION_COUNT,
    outage,
  },
  {
    ...applyDeps,
    maxAttempts: config.JOB_ATTEMPTS,
    log,
    ...(batchApplier ? { apply: batchApplier.apply.bind(batchApplier) } : {}),
  },
);

let metricsServer: Awaited<ReturnType<typeof startWorkerMetrics>> = null;
await listenOrExit(
  async () => {
    metricsServer = await startWorkerMetrics(pushWorker.worker, { host: config.WORKER_METRICS_HOST, port: config.WORKER_METRICS_PORT, log });
  },
  { host: config.WORKER_METRICS_HOST, port: config.WORKER_METRICS_PORT, hostVariable: 'WORKER_METRICS_HOST', portVariable: 'WORKER_METRICS_PORT' },
  log,
);

// Order matters: the worker finishes its active jobs while Redis and PostgreSQL are still open.
let returnedJobs = 0;
// Jobs cut off by the grace period are picked up again by a worker's stall check.
installShutdown({
  log,
  graceMs: config.SHUTDOWN_GRACE_MS,
  messages: { stopping: 'worker stopping', stopped: 'worker stopped', timedOut: 'shutdown grace period ended, exiting with jobs still active' },
  steps: [
    {
      name: 'worker',
      run: async () => {
        returnedJobs = (await pushWorker.close(Math.max(0, config.SHUTDOWN_GRACE_MS - SHUTDOWN_RESERVE_MS))).returned;
      },
    },
    { name: 'metrics', run: () => closeServer(metricsServer) },
    { name: 'redis', run: () => closeRedisConnection(redis) },
    // Transactions of returned jobs still hold pooled connections, and ending the pool would wait
    // for them. Exiting closes those connections, so PostgreSQL rolls the transactions back.
    { name: 'prisma', run: () => (returnedJobs > 0 ? Promise.resolve() : prisma.$disconnect()) },
  ],
});

log.info(
  {
    queuePrefix: config.QUEUE_PREFIX,
    applyMode: config.WORKER_APPLY_MODE,
    // Transactions at once (WORKER_CONCURRENCY), and the jobs BullMQ hands out at once to fill them.
    transactions: config.WORKER_CONCURRENCY,
    batchSize: batchApplier ? config.WORKER_BATCH_SIZE : 1,
    jobsHeld: jobConcurrency,
  },
  'worker started',
);
void pushWorker.worker.run().catch((err) => {
  log.fatal({ err }, 'push worker stopped unexpectedly');
  process.exit(1);
});

function closeServer(server: Server | null): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

function loadConfig(): WorkerEnv {
  try {
    return parseWorkerEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger's level comes from this configuration, so the problem goes to stderr directly.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
