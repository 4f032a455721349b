import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { createLogger } from '@student-sync/observability';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { createRedisConnection, waitForRedisReady } from '@student-sync/queue';
import type { Redis } from 'ioredis';
import { buildWorker, type PushWorker, type WorkerSettings } from '../build-worker.ts';

export interface TestWorkerOptions {
  redisUrl: string;
  prefix: string;
  databaseUrl: string;
  keys: { PII_ENCRYPTION_KEYS: string; PII_HASH_KEY: string };
  /** Settings that differ from the test defaults, such as stall detection. */
  settings?: Partial<Omit<WorkerSettings, 'connection' | 'prefix'>>;
}

export interface TestWorker {
  pushWorker: PushWorker;
  prisma: PrismaClient;
  /** Closes the worker, then its Redis connection and Prisma client. */
  stop(): Promise<void>;
}

/** Starts a push worker in this process with short retry delays and its own connections. */
export async function startTestWorker(options: TestWorkerOptions): Promise<TestWorker> {
  const redis: Redis = createRedisConnection(options.redisUrl, { role: 'worker' });
  await waitForRedisReady(redis, 5_000);
  // An unreachable database must fail an attempt quickly instead of waiting for a connection.
  const prisma = createPrismaClient({ databaseUrl: options.databaseUrl, poolSize: 2, onPoolError: () => {} });
  const pushWorker = buildWorker(
    {
      connection: redis,
      prefix: options.prefix,
      concurrency: 2,
      backoffBaseMs: 20,
      backoffMaxMs: 100,
      completedRetentionMs: 60_000,
      completedRetentionCount: 1_000,
      ...options.settings,
    },
    {
      prisma,
      keyring: Keyring.parse(options.keys.PII_ENCRYPTION_KEYS),
      hasher: KeyedHasher.parse(options.keys.PII_HASH_KEY),
      connectionWaitMs: 2_000,
      maxAttempts: 10,
      log: createLogger({ name: 'worker-test', level: 'silent' }),
    },
  );
  void pushWorker.worker.run();
  return {
    pushWorker,
    prisma,
    stop: async () => {
      await pushWorker.close();
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}
