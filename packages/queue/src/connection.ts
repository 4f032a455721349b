import { Redis, type RedisOptions } from 'ioredis';

/**
 * What a connection is for, which decides how its commands fail while Redis is away:
 * - `worker`: BullMQ Worker and QueueEvents. BullMQ 5 requires `maxRetriesPerRequest: null`
 *   on blocking connections, so commands wait for the reconnect instead of failing.
 * - `producer`: adds jobs on a request path. Commands fail fast (no offline queue, a bounded
 *   retry count and a command timeout) so a caller can respond "try later" instead of hanging.
 * - `subscriber`: pub/sub listener; waits for reconnects and resubscribes by itself.
 */
export type RedisRole = 'worker' | 'producer' | 'subscriber';

export interface RedisConnectionOptions {
  role: RedisRole;
  /** Upper bound of one command on a producer connection, in milliseconds. */
  commandTimeoutMs?: number;
  /** Shown by `CLIENT LIST`, which helps tell processes apart on a shared Redis. */
  connectionName?: string;
}

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  subscriber: { maxRetriesPerRequest: null },
};

/** Opens an ioredis connection configured for `role`. */
export function createRedisConnection(url: string, options: RedisConnectionOptions): Redis {
  const settings: RedisOptions = { ...ROLE_OPTIONS[options.role], connectionName: options.connectionName };
  if (options.role === 'producer' && options.commandTimeoutMs) settings.commandTimeout = options.commandTimeoutMs;
  return new Redis(url, settings);
}

/** Resolves once the connection is ready; rejects after `timeoutMs` or when the connection ends. */
export function waitForRedisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (error: Error) => (lastError = error);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady).off('error', onError).off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => finish();
    const onEnd = () => finish(new Error('Redis connection ended before it was ready', { cause: lastError }));
    const timer = setTimeout(
      () => finish(new Error(`Redis was not ready within ${timeoutMs} ms`, { cause: lastError })),
      timeoutMs,
    );
    redis.on('ready', onReady).on('error', onError).on('end', onEnd);
  });
}

/**
 * Closes a connection at shutdown. A ready connection sends QUIT, so replies still on the way
 * arrive first. A connection that lost Redis is dropped at once, because QUIT would fail on a
 * producer connection and wait for a reconnect on the others.
 */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit();
    return;
  }
  redis.disconnect();
}
