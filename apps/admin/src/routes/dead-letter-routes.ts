import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DeadLetterFilter } from '@student-sync/queue/replay';
import { requireOperator } from '../auth/roles.ts';
import { DeadLetterQuery, ReplayBody, toDeadLetterFilter } from '../dead-letters/filter-schema.ts';
import type { ReplayService } from '../dead-letters/replay-service.ts';
import { deadLettersBody, invalidFilterBody } from '../pages/dead-letters-page.ts';
import { AdminHttpError } from '../http-error.ts';
import { renderPage, sendPage } from '../pages/layout.ts';
import { NoQuery } from './no-query.ts';

const DEFAULT_LIST_LIMIT = 200;
const DEFAULT_REPLAY_LIMIT = 1_000;

/** Registers `GET /admin/api/dead-letters`, `POST /admin/api/dead-letters/replay` (operator only) and the dead-letter page. */
export async function deadLetterRoutes(app: FastifyInstance, options: { replay: ReplayService }): Promise<void> {
  app.get('/admin/api/dead-letters', { schema: { querystring: DeadLetterQuery }, preValidation: dropEmptyQueryFields }, async (request) => {
    const query = request.query as DeadLetterQuery;
    const result = await options.replay.list(toDeadLetterFilter(query), query.limit ?? DEFAULT_LIST_LIMIT);
    return { deadLetters: result.matched, truncated: result.truncated, invalidIds: result.invalidIds };
  });

  app.post('/admin/api/dead-letters/replay', { schema: { body: ReplayBody, querystring: NoQuery }, preHandler: requireOperator }, async (request) => {
    const body = request.body as ReplayBody;
    return options.replay.replay(toDeadLetterFilter(body), {
      dryRun: body.dryRun ?? false,
      limit: body.limit ?? DEFAULT_REPLAY_LIMIT,
      user: request.adminUser,
    });
  });

  app.get('/admin/dead-letters', { schema: { querystring: DeadLetterQuery }, preValidation: dropEmptyQueryFields }, async (request, reply) => {
    const query = request.query as DeadLetterQuery;
    let filter: DeadLetterFilter;
    try {
      filter = toDeadLetterFilter(query);
    } catch (error) {
      if (!(error instanceof AdminHttpError) || error.statusCode !== 400) throw error;
      // The form comes back with the values as typed, so the operator can correct them.
      request.log.info({ url: request.url, message: error.message }, 'dead-letter page filter rejected');
      return sendPage(reply, renderPage({ title: '死信', role: request.adminRole, body: invalidFilterBody(query, error.message) }), 400);
    }
    const result = await options.replay.list(filter, query.limit ?? DEFAULT_LIST_LIMIT);
    const body = deadLettersBody({ query, result, canReplay: request.adminRole === 'operator' });
    return sendPage(reply, renderPage({ title: '死信', role: request.adminRole, body }));
  });
}

/** Removes empty query fields before validation, because the filter form submits every input, filled or not. */
async function dropEmptyQueryFields(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) {
    if (value === '') delete query[name];
  }
}
