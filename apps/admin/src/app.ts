import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@student-sync/db';
import type { Logger } from '@student-sync/observability';
import type { PushQueue } from '@student-sync/queue';
import type { DeadLetterQueue } from '@student-sync/queue/consumer';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { registerAuthentication } from './auth/authentication.ts';
import type { CredentialChecker } from './auth/credentials.ts';
import { isSafeMethod, rejectCrossSiteWrites } from './auth/roles.ts';
import { handleAdminError, MAX_PATH_PARAM_CHARS, notFoundHandler } from './error-handler.ts';
import { RouteTable } from './route-table.ts';
import type { ReadinessChecker } from './health/readiness.ts';
import { ReplayService } from './dead-letters/replay-service.ts';
import { registerBullBoard } from './queues/bull-board.ts';
import { assetRoutes } from './routes/asset-routes.ts';
import { batchRoutes } from './routes/batch-routes.ts';
import { deadLetterRoutes } from './routes/dead-letter-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { metricsRoute } from './routes/metrics-route.ts';
import { studentRoutes } from './routes/student-routes.ts';
import { registerSecurityHeaders } from './security-headers.ts';

export interface AdminDeps {
  log: Logger;
  prisma: PrismaClient;
  pushQueue: PushQueue;
  deadLetters: DeadLetterQueue;
  registry: Registry;
  readiness: ReadinessChecker;
  /** Configured users; null only in development mode without credentials, where every request acts as operator. */
  checker: CredentialChecker | null;
  loginFailuresPerMinute: number;
  /** Proxies whose X-Forwarded-For names the client, so the login lockout counts client addresses. */
  trustedProxies?: string[];
}

/** Builds the admin HTTP app without listening, so tests can call `app.inject()`. */
export async function buildAdminApp(deps: AdminDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger carries more than FastifyBaseLogger; typing it as the base keeps the instance type default.
    loggerInstance: deps.log as FastifyBaseLogger,
    // Bull Board polls every few seconds; changes are logged by the audit hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    trustProxy: deps.trustedProxies ?? false,
    // Fastify's default strips unknown properties, so a misspelled filter would silently widen a
    // replay to every dead letter. They are rejected with a 400 that names them instead.
    ajv: { customOptions: { removeAdditional: false } },
    // With Fastify's default of 100 characters, valid batch numbers of up to 128 got 414.
    routerOptions: { maxParamLength: MAX_PATH_PARAM_CHARS },
    // Errors raised before routing, such as a path parameter over that length, get the admin's texts too.
    frameworkErrors: (error, request, reply) => handleAdminError(error, request, reply),
  });
  app.setErrorHandler(handleAdminError);
  app.setNotFoundHandler(notFoundHandler(new RouteTable(app)));

  await registerSecurityHeaders(app);
  await registerAuthentication(app, { checker: deps.checker, failuresPerMinute: deps.loginFailuresPerMinute });
  app.addHook('onRequest', rejectCrossSiteWrites);
  app.addHook('onResponse', async (request, reply) => {
    if (isSafeMethod(request.method)) return;
    // A dry run changes nothing, and its own message keeps it apart from changes in the audit trail.
    const dryRun = (request.body as { dryRun?: unknown } | undefined)?.dryRun === true;
    const fields = { user: request.adminUser, role: request.adminRole, method: request.method, url: request.url, statusCode: reply.statusCode };
    request.log.info(fields, dryRun ? 'admin dry run' : 'admin change request');
  });

  await app.register(healthRoutes, { readiness: deps.readiness });
  await app.register(metricsRoute, { registry: deps.registry });
  await app.register(assetRoutes);
  const replay = new ReplayService({ prisma: deps.prisma, pushQueue: deps.pushQueue, deadLetters: deps.deadLetters, log: deps.log });
  await app.register(studentRoutes, { prisma: deps.prisma });
  await app.register(batchRoutes, { prisma: deps.prisma, pushQueue: deps.pushQueue, replay });
  await app.register(deadLetterRoutes, { replay });
  await registerBullBoard(app, { push: deps.pushQueue, deadLetters: deps.deadLetters });
  app.get('/', async (_request, reply) => reply.redirect('/admin/batches'));
  app.get('/admin', async (_request, reply) => reply.redirect('/admin/batches'));
  app.get('/admin/', async (_request, reply) => reply.redirect('/admin/batches'));
  return app;
}
