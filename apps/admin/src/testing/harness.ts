import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { createMetricsRegistry, registerQueueDepth } from '@student-sync/observability';
import { createPushQueue, createRedisConnection, DEAD_LETTER_QUEUE, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import type { DeadLetterQueue } from '@student-sync/queue/consumer';
import { Queue } from 'bullmq';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testLogger, testRedisUrl } from '../../../../tests/support/index.ts';
import { buildAdminApp } from '../app.ts';
import { type AdminUser, CredentialChecker } from '../auth/credentials.ts';
import { ReadinessChecker } from '../health/readiness.ts';

export const OPERATOR: AdminUser = { username: 'ops', password: 'operator-password-1', role: 'operator' };
export const VIEWER: AdminUser = { username: 'viewer', password: 'viewer-password-12', role: 'readonly' };

export interface TestAdmin {
  app: FastifyInstance;
  prisma: PrismaClient;
  redis: Redis;
  pushQueue: PushQueue;
  deadLetters: DeadLetterQueue;
  registry: Registry;
  prefix: string;
  database: TestDatabase;
  close(): Promise<void>;
}

export interface TestAdminOptions {
  loginFailuresPerMinute?: number;
  /** Redis to use instead of the shared test Redis, such as one the test stops. */
  redisUrl?: string;
  /** PostgreSQL URL for the app's queries in place of the test database, such as one nothing listens on. */
  queryDatabaseUrl?: string;
  /** Receives the app's log lines at info level. The log is silent when omitted. */
  logLines?: string[];
  /** Proxies whose X-Forwarded-For the app trusts, as ADMIN_TRUSTED_PROXIES sets them. */
  trustedProxies?: string[];
}

/** Builds an admin app on its own database and queue prefix; `close()` drops both. */
export async function startTestAdmin(options: TestAdminOptions = {}): Promise<TestAdmin> {
  const prefix = randomQueuePrefix();
  const database = await createTestDatabase();
  const prisma = createPrismaClient({ databaseUrl: options.queryDatabaseUrl ?? database.url, poolSize: 4 });
  const redis = createRedisConnection(options.redisUrl ?? testRedisUrl(), { role: 'producer', commandTimeoutMs: 2_000 });
  redis.on('error', () => {});
  await waitForRedisReady(redis, 5_000);

  const pushQueue = createPushQueue({ connection: redis, prefix, onError: () => {} });
  const deadLetters: DeadLetterQueue = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix });
  deadLetters.on('error', () => {});
  const registry = createMetricsRegistry('admin');
  registerQueueDepth(registry, [pushQueue, deadLetters]);

  const app = await buildAdminApp({
    log: testLogger('admin-test', options.logLines),
    prisma,
    pushQueue,
    deadLetters,
    registry,
    // The shared test Redis runs without AOF, which production refuses.
    readiness: new ReadinessChecker({ redis, prisma, databaseUrl: database.url, timeoutMs: 2_000, redisPolicyCheck: 'warn' }),
    checker: new CredentialChecker([OPERATOR, VIEWER]),
    loginFailuresPerMinute: options.loginFailuresPerMinute ?? 50,
    trustedProxies: options.trustedProxies,
  });

  const close = async () => {
    await app.close();
    // Closing a queue whose Redis is gone fails, and the test has nothing left to flush there.
    await Promise.all([pushQueue.close(), deadLetters.close()]).catch(() => undefined);
    redis.disconnect();
    await prisma.$disconnect();
    if (options.redisUrl === undefined) await deleteQueueKeys(prefix);
    await database.drop();
  };
  return { app, prisma, redis, pushQueue, deadLetters, registry, prefix, database, close };
}

/** Basic authorization header of `user`. */
export function basicAuth(user: { username: string; password: string }): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`, 'utf8').toString('base64')}` };
}

/** Inject options for a request as `user`, or unauthenticated when `user` is null. */
export function as(user: AdminUser | null, request: InjectOptions): InjectOptions {
  return { ...request, headers: { ...(user ? basicAuth(user) : {}), ...request.headers } };
}
