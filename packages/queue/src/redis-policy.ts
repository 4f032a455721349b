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
