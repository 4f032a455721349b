import rateLimit from '@fastify/rate-limit';
import { ProtocolError } from '@student-sync/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import './push/request-state.ts';

export interface RateLimitOptions {
  /** Counters live in Redis, so the limit applies across all ingress processes. */
  redis: Redis;
  /** Key prefix of the counters, e.g. `{student-sync}:rate-limit:`. */
  keyPrefix: string;
}

/**
 * Registers @fastify/rate-limit for routes that opt in through `config.rateLimit`. Counting
 * runs in preHandler, after the signature check, so the key is a verified app-key and a
 * forged request cannot spend another client's budget. When Redis fails, requests pass
 * uncounted and enqueueing returns 3002 instead.
 */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    redis: options.redis,
    nameSpace: options.keyPrefix,
    skipOnError: true,
    keyGenerator: (request: FastifyRequest) => request.pushState?.client.appKey ?? request.ip,
    errorResponseBuilder: (_request, context) => new ProtocolError('3003', `每分钟最多 ${context.max} 次, ${Math.ceil(context.ttl / 1_000)} 秒后重试`),
  });
}
