import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import './provided.ts';

const SCAN_BATCH = 500;

/** URL of the Redis that global setup made sure responds. */
export function testRedisUrl(): string {
  return inject('testRedisUrl');
}

/**
 * Returns a BullMQ prefix no other test uses, such as `{test-3f9a0c2b71de}`. The braces make
 * it a Redis Cluster hash tag, like the production default `{student-sync}`.
 */
export function randomQueuePrefix(): string {
  return `{test-${randomBytes(6).toString('hex')}}`;
}

/** Deletes every key under `prefix` (call it in afterAll); returns how many were deleted. */
export async function deleteQueueKeys(prefix: string, redisUrl = testRedisUrl()): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}:*`, 'COUNT', SCAN_BATCH);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
