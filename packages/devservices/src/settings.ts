import { Redis } from 'ioredis';
import { DEFAULT_PROBE_TIMEOUT_MS } from './probe.ts';

/** The Redis settings that decide whether queued pushes survive a restart and memory pressure. */
export interface RedisSettings {
  /** `yes` when AOF persistence is on; undefined when CONFIG GET is not allowed. */
  appendonly?: string;
  /** BullMQ needs `noeviction`: any evicting policy can drop queued jobs. */
  maxmemoryPolicy?: string;
  version?: string;
}

/** Reads persistence and eviction settings with CONFIG GET and INFO server. */
export async function readRedisSettings(url: string, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<RedisSettings> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const info = await redis.info('server');
    const version = /^redis_version:(.+)$/m.exec(info)?.[1]?.trim();
    // Managed Redis services may forbid CONFIG; the settings then stay unknown.
    const appendonly = await configGet(redis, 'appendonly');
    const maxmemoryPolicy = await configGet(redis, 'maxmemory-policy');
    return { appendonly, maxmemoryPolicy, version };
  } finally {
    redis.disconnect();
  }
}

async function configGet(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', name)) as string[];
    return reply[1];
  } catch {
    return undefined;
  }
}
