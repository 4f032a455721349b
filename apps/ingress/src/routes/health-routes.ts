import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

export interface HealthRouteOptions {
  redis: Redis;
  redisTimeoutMs: number;
}

/** Registers `/healthz`, ok while the process runs, and `/readyz`, ok when Redis replies to PING within the timeout. */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      await pingWithin(options.redis, options.redisTimeoutMs);
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed: Redis did not reply to PING');
      return reply.code(503).send({ status: 'unavailable', reason: 'Redis did not reply to PING' });
    }
  });
}

async function pingWithin(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`PING timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.ping(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
