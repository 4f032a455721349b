import { timeEnqueue } from '@student-sync/observability';
import type { Keyring } from '@student-sync/privacy';
import { buildEnvelope, parsePushBody, ProtocolError } from '@student-sync/protocol';
import { buildPushJobData, PushEnqueuer, type BacklogMonitor, type PushQueue } from '@student-sync/queue';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Histogram } from 'prom-client';
import { rawBodyOf } from './verify-hooks.ts';

export interface AcceptDeps {
  queue: PushQueue;
  backlog: BacklogMonitor;
  backlogLimit: number;
  keyring: Keyring;
  redisTimeoutMs: number;
  now: () => Date;
  /** Records how long Redis took to store each job, when given. */
  enqueueSeconds?: Histogram<'result'>;
}

/**
 * Validates a verified push, enqueues it and returns 0000 once Redis stores the job. Jobs of
 * concurrent requests share Redis round trips, and each response still waits for its own job.
 */
export function acceptPush(deps: AcceptDeps) {
  const enqueuer = new PushEnqueuer(deps.queue, { timeoutMs: deps.redisTimeoutMs });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const rawBody = rawBodyOf(request);
    const body = parsePushBody(rawBody);

    const backlog = await deps.backlog.current();
    if (backlog > deps.backlogLimit) throw new ProtocolError('3001', `当前积压 ${backlog} 条, 上限 ${deps.backlogLimit} 条`);

    const appKey = request.pushState!.client.appKey;
    const data = buildPushJobData({ appKey, requestId: request.id, receivedAt: deps.now(), rawBody, body }, deps.keyring);
    const job = deps.enqueueSeconds ? await timeEnqueue(deps.enqueueSeconds, () => enqueuer.enqueue(data)) : await enqueuer.enqueue(data);

    request.log.info({ appKey, jobId: job.id, batchNo: data.batchNo }, 'push accepted');
    return reply.code(200).send(buildEnvelope('0000'));
  };
}
