import type { Redis } from 'ioredis';
import { isRedisUnavailable } from './timeout.ts';

/** The part of a pino logger the outage log writes to. */
export interface OutageLogger {
  error(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/**
 * Logs the errors of a process's Redis connections and queues once per outage and source.
 * ioredis and BullMQ emit an error for every reconnect attempt, which buried the log in
 * stack traces while Redis was down. The first error of each source is logged with its stack,
 * later ones are counted, and one line reports the count when `redis` is ready again. An error
 * that does not mean Redis is unavailable is always logged.
 */
export class RedisOutageLog {
  private readonly suppressed = new Map<string, number>();

  constructor(
    redis: Redis,
    private readonly log: OutageLogger,
  ) {
    redis.on('ready', () => this.recovered());
  }

  /** Returns an error listener for `source`, such as 'push queue' or the connection's role. */
  listener(source: string): (error: Error) => void {
    return (error: Error) => {
      if (!isRedisUnavailable(error)) {
        this.log.error({ err: error, source }, `${source} error`);
        return;
      }
      const count = this.suppressed.get(source);
      this.suppressed.set(source, (count ?? -1) + 1);
      if (count === undefined) this.log.error({ err: error, source }, `${source} lost Redis, repeats are counted until it is ready again`);
    };
  }

  private recovered(): void {
    if (this.suppressed.size === 0) return;
    const repeats = Object.fromEntries(this.suppressed);
    this.suppressed.clear();
    this.log.info({ repeats }, 'redis connection ready again');
  }
}
