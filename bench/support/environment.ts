import { randomBytes } from 'node:crypto';
import { migrateDeploy } from '@student-sync/db/migrate';
import { createToolLogger, ensurePostgres, ensureRedis, type ServiceHandle } from '@student-sync/devservices';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Servers the benchmark runs against. Only loopback services are accepted, so a run never loads a shared server. */
export interface BenchEnvironment {
  redisUrl: string;
  /** URL of the benchmark's own database. */
  databaseUrl: string;
  /** BullMQ key prefix of this run only. */
  queuePrefix: string;
  keys: { PII_ENCRYPTION_KEYS: string; PII_HASH_KEY: string };
  /** Empties every table the pipeline writes, keeping the migration history. */
  truncate(): Promise<void>;
  /** Deletes this run's Redis keys; returns how many were deleted. */
  deleteQueueKeys(): Promise<number>;
  /** Bytes Redis reports as used_memory. */
  redisUsedMemory(): Promise<number>;
  /** CPU seconds (user plus system) the Redis server has used since it started, from INFO cpu. */
  redisCpuSeconds(): Promise<number>;
  /** Drops the database and deletes the Redis keys. */
  dispose(): Promise<void>;
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const PIPELINE_TABLES = ['student_changes', 'student_aliases', 'students', 'push_archive'];

/** Reads the benchmark's server URLs from BENCH_REDIS_URL and BENCH_DATABASE_URL and rejects hosts other than loopback. */
function benchServerUrls(env: NodeJS.ProcessEnv): { redisUrl: string; serverUrl: string } {
  return {
    redisUrl: requireLoopback('BENCH_REDIS_URL', env.BENCH_REDIS_URL || DEFAULT_REDIS_URL, DEFAULT_REDIS_URL),
    serverUrl: requireLoopback('BENCH_DATABASE_URL', env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL, DEFAULT_SERVER_URL),
  };
}

/**
 * Makes sure Redis and PostgreSQL respond at the benchmark's URLs, starting local ones when
 * nothing does, as `npm start` and `npm test` do. Stopping a returned handle stops only a
 * server that this call started.
 */
export async function ensureBenchServers(env: NodeJS.ProcessEnv): Promise<ServiceHandle[]> {
  const { redisUrl, serverUrl } = benchServerUrls(env);
  const log = createToolLogger('bench');
  const redis = await ensureRedis(redisUrl, { log });
  try {
    return [redis, await ensurePostgres(serverUrl, { log, createDatabase: false })];
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

/**
 * Creates a database named `student_sync_bench_<random>` on the PostgreSQL server of
 * BENCH_DATABASE_URL, migrates it, and picks a random queue prefix on BENCH_REDIS_URL.
 */
export async function createBenchEnvironment(env: NodeJS.ProcessEnv): Promise<BenchEnvironment> {
  const { redisUrl, serverUrl } = benchServerUrls(env);
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `student_sync_bench_${suffix}`;
  const databaseUrl = withDatabase(serverUrl, databaseName);

  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`));
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const queuePrefix = `{bench-${suffix}}`;
  const environment: BenchEnvironment = {
    redisUrl,
    databaseUrl,
    queuePrefix,
    keys: { PII_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`, PII_HASH_KEY: randomBytes(32).toString('base64') },
    truncate: () => onServer(databaseUrl, (client) => client.query(`TRUNCATE ${PIPELINE_TABLES.join(', ')} RESTART IDENTITY`)),
    deleteQueueKeys: () => deleteKeys(redis, queuePrefix),
    redisUsedMemory: async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN),
    redisCpuSeconds: async () => {
      const info = await redis.info('cpu');
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
      return field('used_cpu_user') + field('used_cpu_sys');
    },
    dispose: async () => {
      await deleteKeys(redis, queuePrefix);
      redis.disconnect();
      await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`));
    },
  };

  try {
    await migrateDeploy(databaseUrl);
  } catch (error) {
    await environment.dispose();
    throw error;
  }
  return environment;
}

/** A benchmark setting that cannot be used. The run prints its message without a stack trace and exits with status 2. */
export class BenchSettingError extends Error {
  override readonly name = 'BenchSettingError';
}

function requireLoopback(variable: string, url: string, example: string): string {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new BenchSettingError(`${variable} "${url}" is not a valid URL, e.g. ${example}`);
  }
  if (!LOOPBACK_HOSTS.has(host)) throw new BenchSettingError(`${variable} must point at 127.0.0.1 (the benchmark loads its target hard), got host ${host}`);
  return url;
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.end();
  }
}

async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
