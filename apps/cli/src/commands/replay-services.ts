import { type CliReplayEnv, parseCliRedriveEnv, parseCliReplayEnv } from '@student-sync/config';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { Keyring } from '@student-sync/privacy';
import { createPushQueue, createRedisConnection, DEAD_LETTER_QUEUE, jobPolicyFromEnv, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import type { DeadLetterQueue } from '@student-sync/queue/consumer';
import { Queue } from 'bullmq';
import { CliServiceError } from '../cli-error.ts';

/** Maximum wait for one Redis command, and for the connection at start, in milliseconds. */
const REDIS_TIMEOUT_MS = 5_000;

/** Connections of the replay, redrive and batch commands. */
export interface QueueTools {
  prisma: PrismaClient;
  pushQueue: PushQueue;
  deadLetters: DeadLetterQueue;
}

/** Runs `action` with the queues and the database of CliReplayEnv, then closes them. `command` names the command in configuration errors. */
export async function withQueueTools<T>(command: string, action: (tools: QueueTools) => Promise<T>): Promise<T> {
  return openQueueTools(parseCliReplayEnv(process.env, command), action);
}

/** Like withQueueTools, and also passes the keyring that opens archived bodies. */
export async function withRedriveTools<T>(action: (tools: QueueTools, keyring: Keyring) => Promise<T>): Promise<T> {
  const env = parseCliRedriveEnv(process.env);
  return openQueueTools(env, (tools) => action(tools, Keyring.parse(env.PII_ENCRYPTION_KEYS)));
}

async function openQueueTools<T>(env: CliReplayEnv, action: (tools: QueueTools) => Promise<T>): Promise<T> {
  const redis = createRedisConnection(env.REDIS_URL, { role: 'producer', commandTimeoutMs: REDIS_TIMEOUT_MS, connectionName: 'student-sync-cli' });
  redis.on('error', () => {});
  const prisma = createPrismaClient({ databaseUrl: env.DATABASE_URL, poolSize: 2 });
  const pushQueue = createPushQueue({
    connection: redis,
    prefix: env.QUEUE_PREFIX,
    jobPolicy: jobPolicyFromEnv(env),
    onError: () => {},
  });
  const deadLetters: DeadLetterQueue = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix: env.QUEUE_PREFIX });
  deadLetters.on('error', () => {});
  try {
    await waitForRedisReady(redis, REDIS_TIMEOUT_MS).catch((error: unknown) => {
      throw new CliServiceError(`无法连接 Redis ${redactUrl(env.REDIS_URL)} (Redis not reachable), 请确认 Redis 在运行, 并检查 REDIS_URL`, { cause: error });
    });
    return await action({ prisma, pushQueue, deadLetters });
  } finally {
    await pushQueue.close().catch(() => {});
    await deadLetters.close().catch(() => {});
    redis.disconnect();
    await prisma.$disconnect();
  }
}

/** Drops the password from a URL before it is printed. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
