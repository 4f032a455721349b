import { Type } from '@sinclair/typebox';
import type { PrismaClient } from '@student-sync/db';
import { countUnbatchedPushes, getBatchSummary, isUnknownBatch, listBatches } from '@student-sync/db/batches';
import type { PushQueue } from '@student-sync/queue';
import { countQueuedBatch } from '@student-sync/queue/replay';
import type { FastifyInstance } from 'fastify';
import type { ReplayService } from '../dead-letters/replay-service.ts';
import { AdminHttpError } from '../http-error.ts';
import { batchBody, batchListBody } from '../pages/batch-pages.ts';
import { renderPage, sendPage } from '../pages/layout.ts';
import { NoQuery } from './no-query.ts';

const BatchParams = Type.Object({ bgPch: Type.String({ minLength: 1, maxLength: 128 }) });
const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
/** Dead letters listed on one batch page. */
const BATCH_DEAD_LETTER_LIMIT = 200;

export interface BatchRouteOptions {
  prisma: PrismaClient;
  pushQueue: PushQueue;
  replay: ReplayService;
}

/** Registers `GET /admin/api/batches` (newest first), `GET /admin/api/batches/:bgPch` and their pages. */
export async function batchRoutes(app: FastifyInstance, options: BatchRouteOptions): Promise<void> {
  const summaryOf = (batchNo: string) =>
    getBatchSummary(options.prisma, batchNo, { countQueued: (batch) => countQueuedBatch(options.pushQueue, batch) });

  app.get('/admin/api/batches', { schema: { querystring: ListQuery } }, async (request) => {
    const { limit, offset } = request.query as { limit?: number; offset?: number };
    const [batches, unbatched] = await Promise.all([listBatches(options.prisma, { limit, offset }), countUnbatchedPushes(options.prisma)]);
    return { batches, unbatched };
  });

  app.get('/admin/api/batches/:bgPch', { schema: { params: BatchParams, querystring: NoQuery } }, async (request) => {
    const { bgPch } = request.params as { bgPch: string };
    const summary = await summaryOf(bgPch);
    if (isUnknownBatch(summary)) throw unknownBatch(bgPch);
    return summary;
  });

  app.get('/admin/batches', { schema: { querystring: ListQuery } }, async (request, reply) => {
    const { limit, offset } = request.query as { limit?: number; offset?: number };
    const [batches, unbatched] = await Promise.all([listBatches(options.prisma, { limit, offset }), countUnbatchedPushes(options.prisma)]);
    const body = batchListBody(batches, unbatched, request.adminRole === 'operator');
    return sendPage(reply, renderPage({ title: '批次', role: request.adminRole, body }));
  });

  app.get('/admin/batches/:bgPch', { schema: { params: BatchParams } }, async (request, reply) => {
    const { bgPch } = request.params as { bgPch: string };
    const [summary, deadLetters] = await Promise.all([summaryOf(bgPch), options.replay.list({ batchNo: bgPch }, BATCH_DEAD_LETTER_LIMIT)]);
    if (isUnknownBatch(summary) && deadLetters.matched.length === 0) throw unknownBatch(bgPch);
    const body = batchBody({ summary, deadLetters, canReplay: request.adminRole === 'operator' });
    return sendPage(reply, renderPage({ title: `批次 ${bgPch}`, role: request.adminRole, body }));
  });
}

function unknownBatch(batchNo: string): AdminHttpError {
  return new AdminHttpError(404, `没有批次号为 ${batchNo} 的推送, 请检查 bg_pch (no push has this batch number)`);
}
