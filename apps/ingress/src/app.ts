import { randomUUID } from 'node:crypto';
import type { IngressMetrics, Logger } from '@student-sync/observability';
import type { Keyring } from '@student-sync/privacy';
import type { ClientDirectory } from '@student-sync/protocol';
import type { BacklogMonitor, PushQueue } from '@student-sync/queue';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { registerIngressMetrics } from './metrics.ts';
import { registerRateLimit } from './rate-limit.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { pushRoute } from './routes/push-route.ts';

/** Settings of the HTTP layer, taken from IngressEnv. */
export interface IngressSettings {
  path: string;
  bodyLimitBytes: number;
  maxSkewMs: number;
  backlogLimit: number;
  redisTimeoutMs: number;
  rateLimitPerMinute: number;
  /** Prefix of Redis keys this process writes besides the queue, e.g. the rate-limit counters. */
  keyPrefix: string;
}

export interface IngressDeps {
  settings: IngressSettings;
  log: Logger;
  clients: ClientDirectory;
  queue: PushQueue;
  backlog: BacklogMonitor;
  keyring: Keyring;
  /** Producer connection: readiness checks and rate-limit counters. */
  redis: Redis;
  now?: () => Date;
  /** When given, push responses and enqueue times are recorded and `GET /metrics` serves the registry. */
  metrics?: { registry: Registry; ingress: IngressMetrics };
}

/** Builds the ingress HTTP app without listening, so tests can call `app.inject()`. */
export async function buildApp(deps: IngressDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    // pino's Logger carries more than FastifyBaseLogger; typing it as the base keeps the instance type default.
    loggerInstance: deps.log as FastifyBaseLogger,
    // Accepted pushes and rejections are logged once by the push route; Fastify's per-request lines would double them.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  app.setNotFoundHandler(replyToUnknownRoute(deps.settings.path));

  if (deps.metrics) await registerIngressMetrics(app, { registry: deps.metrics.registry, metrics: deps.metrics.ingress, pushPath: deps.settings.path });
  await registerRateLimit(app, { redis: deps.redis, keyPrefix: `${deps.settings.keyPrefix}:rate-limit:` });
  await app.register(healthRoutes, { redis: deps.redis, redisTimeoutMs: deps.settings.redisTimeoutMs });
  await app.register(pushRoute, {
    path: deps.settings.path,
    bodyLimitBytes: deps.settings.bodyLimitBytes,
    rateLimitPerMinute: deps.settings.rateLimitPerMinute,
    clients: deps.clients,
    maxSkewMs: deps.settings.maxSkewMs,
    queue: deps.queue,
    backlog: deps.backlog,
    backlogLimit: deps.settings.backlogLimit,
    keyring: deps.keyring,
    redisTimeoutMs: deps.settings.redisTimeoutMs,
    now,
    enqueueSeconds: deps.metrics?.ingress.enqueueSeconds,
  });
  return app;
}

/**
 * Replies to a request that no route matches. Another method on the push path gets 405 with
 * `Allow: POST`, and any other path gets 404. Both messages name the push endpoint, so a sender
 * configured with the wrong URL or method can tell what to change.
 */
function replyToUnknownRoute(pushPath: string) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0];
    if (path === pushPath) {
      request.log.info({ method: request.method }, 'push path requested with a method other than POST');
      return reply
        .code(405)
        .header('allow', 'POST')
        .send({ statusCode: 405, error: 'Method Not Allowed', message: `推送接口只接受 POST 请求 (the push endpoint accepts POST only): POST ${pushPath}` });
    }
    request.log.info({ method: request.method, url: request.url.slice(0, 200) }, 'request for an unknown route');
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `路径不存在, 推送接口是 POST ${pushPath} (not found, pushes go to POST ${pushPath})` });
  };
}
