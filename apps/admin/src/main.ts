import { AdminEnv, ConfigError, parseAdminEnv, trustedProxyList } from '@student-sync/config';
import { createPrismaClient } from '@student-sync/db';
import { exitUnlessMigrationsCurrent } from '@student-sync/db/migrate';
import { createLogger, createMetricsRegistry, installShutdown, listenOrExit, type LoggerOptions, registerQueueDepth } from '@student-sync/observability';
import { closeRedisConnection, createPushQueue, createRedisConnection, DEAD_LETTER_QUEUE, enforceRedisPolicy, jobPolicyFromEnv, RedisOutageLog, waitForRedisReady } from '@student-sync/queue';
import type { DeadLetterQueue } from '@student-sync/queue/consumer';
import { Queue } from 'bullmq';
import { buildAdminApp } from './app.ts';
import { adminUsers } from './auth/admin-users.ts';
import { CredentialChecker } from './auth/credentials.ts';
import { ReadinessChecker } from './health/readiness.ts';

/** How long the start waits for Redis before giving up. */
const REDIS_READY_TIMEOUT_MS = 10_000;

const config = loadConfig();
const log = createLogger({ name: 'admin', level: config.LOG_LEVEL as LoggerOptions['level'] });

const users = adminUsers(config);
if (users.length === 0) {
  log.warn({ host: config.ADMIN_HOST, port: config.ADMIN_PORT }, 'ADMIN_DEV_MODE=true and no credentials: every request acts as operator without logging in; never run this way outside local development');
}

const redis = createRedisConnection(config.REDIS_URL, { role: 'producer', commandTimeoutMs: config.REDIS_TIMEOUT_MS, connectionName: 'student-sync-admin' });
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

const prisma = createPrismaClient({
  databaseUrl: config.DATABASE_URL,
  poolSize: config.DATABASE_POOL_SIZE,
  onPoolError: (err) => log.error({ err }, 'idle database connection failed'),
});
const pushQueue = createPushQueue({
  connection: redis,
  prefix: config.QUEUE_PREFIX,
  jobPolicy: jobPolicyFromEnv(config),
  onError: outage.listener('push queue'),
});
const deadLetters: DeadLetterQueue = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
deadLetters.on('error', outage.listener('dead-letter queue'));

const registry = createMetricsRegistry('admin');
registerQueueDepth(registry, [pushQueue, deadLetters]);

const app = await buildAdminApp({
  log,
  prisma,
  pushQueue,
  deadLetters,
  registry,
  readiness: new ReadinessChecker({
    redis,
    prisma,
    databaseUrl: config.DATABASE_URL,
    timeoutMs: config.REDIS_TIMEOUT_MS,
    redisPolicyCheck: config.REDIS_POLICY_CHECK,
  }),
  checker: users.length > 0 ? new CredentialChecker(users) : null,
  loginFailuresPerMinute: config.ADMIN_LOGIN_FAILURES_PER_MINUTE,
  trustedProxies: config.ADMIN_TRUSTED_PROXIES === undefined ? undefined : trustedProxyList(config.ADMIN_TRUSTED_PROXIES),
});

// Order matters: the server finishes open requests (a replay among them) while Redis and PostgreSQL are still open.
// A replay cut off by the grace period leaves its remaining dead letters in place, so running it again finishes the work.
installShutdown({
  log,
  graceMs: config.SHUTDOWN_GRACE_MS,
  messages: { stopping: 'admin stopping', stopped: 'admin stopped', timedOut: 'shutdown grace period ended, exiting with requests still open' },
  steps: [
    { name: 'http', run: () => app.close() },
    { name: 'queues', run: () => Promise.all([pushQueue.close(), deadLetters.close()]) },
    { name: 'redis', run: () => closeRedisConnection(redis) },
    { name: 'prisma', run: () => prisma.$disconnect() },
  ],
});

await listenOrExit(() => app.listen({ host: config.ADMIN_HOST, port: config.ADMIN_PORT }), { host: config.ADMIN_HOST, port: config.ADMIN_PORT, hostVariable: 'ADMIN_HOST', portVariable: 'ADMIN_PORT' }, log);
log.info({ host: config.ADMIN_HOST, port: config.ADMIN_PORT, users: users.map((user) => user.role), pid: process.pid }, 'admin started');

function loadConfig(): AdminEnv {
  try {
    return parseAdminEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The logger's level comes from this configuration, so the problem goes to stderr directly.
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
