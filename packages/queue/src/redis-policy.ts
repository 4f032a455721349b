import type { Redis } from 'ioredis';

/**
 * Returns what is wrong with how Redis is configured for a job queue; empty when nothing is.
 * Without AOF a restart loses accepted pushes, and an evicting maxmemory-policy silently
 * drops job keys under memory pressure. Reads `INFO`, which managed Redis services
 * allow even where `CONFIG GET` is disabled.
 */
export async function checkRedisPolicy(redis: Redis): Promise<string[]> {
  const persistence = parseInfo(await redis.info('persistence'));
  const memory = parseInfo(await redis.info('memory'));
  const problems: string[] = [];

  if (persistence.get('aof_enabled') !== '1') {
    problems.push('appendonly is not yes: accepted pushes would be lost on a Redis restart. Fix: set appendonly yes');
  }
  const policy = memory.get('maxmemory_policy');
  if (policy !== 'noeviction') {
    problems.push(`maxmemory-policy is ${policy ?? 'unknown'}, not noeviction: Redis may evict queued jobs. Fix: set maxmemory-policy noeviction`);
  }
  return problems;
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** The part of a pino logger the policy check writes to. */
interface PolicyLogger {
  warn(fields: object, message: string): void;
  fatal(fields: object, message: string): void;
}

/**
 * Checks the Redis policy at start. With `refuse` a wrong setting stops the process with exit
 * code 1; with `warn` it is logged and the process goes on.
 */
export async function enforceRedisPolicy(redis: Redis, policy: 'refuse' | 'warn', log: PolicyLogger): Promise<void> {
  const problems = await checkRedisPolicy(redis);
  if (problems.length === 0) return;

  const fields = { problems, redisPolicyCheck: policy };
  if (policy === 'warn') {
    log.warn(fields, 'redis is not configured for a durable queue, continuing because REDIS_POLICY_CHECK=warn');
    return;
  }
  log.fatal(fields, 'redis is not configured for a durable queue, stopping; fix it or set REDIS_POLICY_CHECK=warn');
  redis.disconnect();
  process.exit(1);
}
