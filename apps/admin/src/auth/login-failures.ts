import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Limits failed logins per client address with @fastify/rate-limit (which must be registered
 * on `app`). Once an address goes over the limit, every login from it is rejected until its
 * window ends, the correct password included, so a guess cannot be confirmed by the response.
 */
export class LoginFailureLimiter {
  private readonly check: ReturnType<FastifyInstance['createRateLimit']>;
  /** Client address -> epoch milliseconds its lock ends. */
  private readonly lockedUntil = new Map<string, number>();

  constructor(
    app: FastifyInstance,
    readonly failuresPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.check = app.createRateLimit({ max: failuresPerMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip });
  }

  /** Returns the seconds left on the lock of the request's address, or 0 when it is not locked. */
  lockedSeconds(request: FastifyRequest): number {
    const until = this.lockedUntil.get(request.ip);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return Math.ceil(left / 1000);
    this.lockedUntil.delete(request.ip);
    return 0;
  }

  /** Counts one failed login; returns the seconds of the lock once the address reaches the limit, else 0. */
  async recordFailure(request: FastifyRequest): Promise<number> {
    const result = await this.check(request);
    if (result.isAllowed || result.remaining > 0) return 0;
    this.pruneExpired();
    this.lockedUntil.set(request.ip, this.now() + result.ttl);
    return result.ttlInSeconds;
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [address, until] of this.lockedUntil) if (until <= now) this.lockedUntil.delete(address);
  }
}
