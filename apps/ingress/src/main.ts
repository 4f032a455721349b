import { setFlagsFromString } from 'node:v8';
import { ConfigError, parseIngressEnv, type IngressEnv } from '@student-sync/config';
import { SqlClientDirectory } from '@student-sync/db/client-lookup';
import { createPgPool } from '@student-sync/db/pg-pool';
import { exitUnlessMigrationsCurrent } from '@student-sync/db/migrate';
import { createIngressMetrics, createLogger, createMetricsRegistry, installShutdown, listenOrExit, type LoggerOptions } from '@student-sync/observability';
import { Keyring } from '@student-sync/privacy';
import { BacklogMonitor, clientsChangedChannel, closeRedisConnection, createPushQueue, createRedisConnection, enforceRedisPolicy, jobPolicyFromEnv, RedisOutageLog, waitForRedisReady } from '@student-sync/queue';
import { buildApp } from './app.ts';
import { CachedClientDirectory } from './client-cache.ts';
import { followClientChanges } from './client-changes.ts';

/** How long the start waits for Redis before giving up. */
const REDIS_READY_TIMEOUT_MS = 10_000;

// V8 lets the old generation grow to several times its live data before a full collection. Under
// the benchmark's load the ingress peaked at 190-202 MB of RSS with about 25 MB live. Growing it by
// half at a time lowered the peak to 136-153 MB at the same CPU per request. Unlike
// --max-old-space-size, it sets no limit that a burst of large bodies could hit. The young
// generation can only be sized at launch, by SERVICE_NODE_ARGS in scripts/build.ts.
setFlagsFromString('--heap-growing-percent=50');

const config = loadConfig();
const log = createLogger({ name: 'ingress', level: config.LOG_LEVEL as LoggerOptions['level'] });

const redis = createRedisConnection(config.REDIS_URL, { role: 'producer', commandTimeoutMs: config.REDIS_TIMEOUT_MS, connectionName: 'student-sync-ingress' });
const outage = new RedisOutageLog(redis, log);
redis.on('error', outage.listener('redis connection'));
try {
  await waitForRedisReady(redis, REDIS_READY_TIMEOUT_MS);
} catch (err) {
  log.fatal({ err, timeoutMs: REDIS_READY_TIMEOUT_MS }, 'redis is not reachable, check REDIS_URL');
  process.exit(1);
}
await enforceRedisPolicy(redis, config.REDIS_POLICY_CHECK, log);
await exitUnlessMigrationsCurrent(config.DATABASE_URL, log);

const subscriber = createRedisConnection(config.REDIS_URL, { role: 'subscriber', connectionName: 'student-sync-ingress-clients' });
// Client look-ups are the ingress's only queries, so it uses plain SQL and never loads Prisma's query compiler.
const database = createPgPool({
  databaseUrl: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  onPoolError: (err) => log.error({ err }, 'idle database connection failed'),
});
const keyring = Keyring.parse(config.PII_ENCRYPTION_KEYS);
const clients = new CachedClientDirectory(new SqlClientDirectory({ pool: database, keyring }), { ttlMs: config.CLIENT_CACHE_TTL_MS });
subscriber.on('error', outage.listener('clients-changed subscriber'));
await followClientChanges(subscriber, clients, log, clientsChangedChannel(config.QUEUE_PREFIX));

const queue = createPushQueue({
  connection: redis,
  prefix: config.QUEUE_PREFIX,
  jobPolicy: jobPolicyFromEnv(config),
  onError: outage.listener('push queue'),
});
const backlog = new BacklogMonitor(queue, { refreshIntervalMs: config.BACKLOG_CHECK_INTERVAL_MS, timeoutMs: config.REDIS_TIMEOUT_MS });

const registry = createMetricsRegistry('ingress');
const app = await buildApp({
  settings: {
    path: config.INGRESS_PATH,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    maxSkewMs: config.SIGNATURE_MAX_SKEW_MS,
    backlogLimit: config.QUEUE_BACKLOG_LIMIT,
    redisTimeoutMs: config.REDIS_TIMEOUT_MS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    keyPrefix: config.QUEUE_PREFIX,
  },
  log,
  clients,
  queue,
  backlog,
  keyring,
  redis,
  metrics: { registry, ingress: createIngressMetrics(registry) },
});

// Order matters: the server stops taking requests and finishes open ones while Redis and PostgreSQL are still open.
// A sender whose request is cut off by the grace period gets no 0000, so it resends.
installShutdown({
  log,
  graceMs: config.SHUTDOWN_GRACE_MS,
  messages: { stopping: 'ingress stopping', stopped: 'ingress stopped', timedOut: 'shutdown grace period ended, exiting with requests still open' },
  steps: [
    { name: 'http', run: () => app.close() },
    { name: 'queue', run: () => queue.close() },
    { name: 'redis-subscriber', run: () => closeRedisConnection(subscriber) },
    { name: 'redis', run: () => closeRedisConnection(redis) },
    { name: 'database', run: () => database.end() },
  ],
});

await listenOrExit(() => app.listen({ host: config.INGRESS_HOST, port: config.INGRESS_PORT }), { host: config.INGRESS_HOST, port: config.INGRESS_PORT, hostVariable: 'INGRESS_HOST', portVariable: 'INGRESS_PORT' }, log);
log.info({ host: config.INGRESS_HOST, port: config.INGRESS_PORT, path: config.INGRESS_PATH, pid: process.pid }, 'ingress started');

function loadConfig(): IngressEnv {
  try {
    return parseIngressEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger's level comes from this configuration, so the problem goes to stderr directly.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
