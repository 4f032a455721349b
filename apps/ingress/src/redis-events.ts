import type { Logger } from '@student-sync/observability';
import type { Redis } from 'ioredis';

/**
 * Logs a connection's errors once per outage, not once per reconnect attempt, and logs
 * when it is ready again. ioredis emits an error for every failed attempt.
 */
export function logRedisConnection(redis: Redis, log: Logger, connection: string): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.error({ err, connection }, 'redis connection lost, reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ connection }, 'redis connection ready again');
  });
}
