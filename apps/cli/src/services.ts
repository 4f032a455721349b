import { parseCliClientsEnv, parseCliVerifyEnv } from '@student-sync/config';
import { createPrismaClient } from '@student-sync/db';
import { type ChangePublisher, ClientStore } from '@student-sync/db/clients';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { clientsChangedChannel, createRedisConnection, waitForRedisReady } from '@student-sync/queue';
import { type Redis } from 'ioredis';
import { StudentReader } from './verify/student-reader.ts';

/** Maximum wait for Redis when announcing a client change, in milliseconds. */
const PUBLISH_TIMEOUT_MS = 3_000;

/** Runs `action` with a client store on DATABASE_URL, then closes its connections. */
export async function withClientStore<T>(action: (store: ClientStore) => Promise<T>): Promise<T> {
  const env = parseCliClientsEnv(process.env);
  const prisma = createPrismaClient({ databaseUrl: env.DATABASE_URL, poolSize: 1 });
  const redis = createRedisConnection(env.REDIS_URL, { role: 'producer', commandTimeoutMs: PUBLISH_TIMEOUT_MS, connectionName: 'student-sync-cli' });
  // A failed publish must not fail the command: the change is stored, and ingress caches expire by themselves.
  redis.on('error', () => {});
  try {
    const store = new ClientStore({
      prisma,
      keyring: Keyring.parse(env.PII_ENCRYPTION_KEYS),
      announcements: { publisher: tolerantPublisher(redis), channel: clientsChangedChannel(env.QUEUE_PREFIX) },
    });
    return await action(store);
  } finally {
    redis.disconnect();
    await prisma.$disconnect();
  }
}

/** Runs `action` with a reader that opens sealed student data, then closes its connections. */
export async function withStudentReader<T>(action: (reader: StudentReader) => Promise<T>): Promise<T> {
  const env = parseCliVerifyEnv(process.env);
  const prisma = createPrismaClient({ databaseUrl: env.DATABASE_URL, poolSize: 2 });
  try {
    return await action(new StudentReader(prisma, Keyring.parse(env.PII_ENCRYPTION_KEYS), KeyedHasher.parse(env.PII_HASH_KEY)));
  } finally {
    await prisma.$disconnect();
  }
}

function tolerantPublisher(redis: Redis): ChangePublisher {
  return {
    async publish(channel, message) {
      try {
        await waitForRedisReady(redis, PUBLISH_TIMEOUT_MS);
        return await redis.publish(channel, message);
      } catch {
        process.stderr.write('警告: 无法通过 Redis 通知接收服务刷新客户端缓存, 变更将在缓存过期后生效 (could not notify ingress caches)\n');
        return 0;
      }
    },
  };
}
