import type { Keyring } from '@student-sync/privacy';
import { buildEnvelope, parsePushBody, ProtocolError } from '@student-sync/protocol';
import { buildPushJobData, enqueuePush, type BacklogMonitor, type PushQueue } from '@student-sync/queue';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rawBodyOf } from './verify-hooks.ts';

export interface AcceptDeps {
  queue: PushQueue;
  backlog: BacklogMonitor;
  backlogLimit: number;
  keyring: Keyring;
  redisTimeoutMs: number;
  now: () => Date;
}

/** Validates a verified push, enqueues it and returns 0000 once Redis stores the job. */
export function acceptPush(deps: AcceptDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const rawBody = rawBodyOf(request);
    const body = parsePushBody(rawBody);

    const backlog = await deps.backlog.current();
    if (backlog > deps.backlogLimit) throw new ProtocolError('3001', `当前积压 ${backlog} 条, 上限 ${deps.backlogLimit} 条`);

    const appKey = request.pushState!.client.appKey;
    const data = buildPushJobData({ appKey, requestId: request.id, receivedAt: deps.now(), rawBody, body }, deps.keyring);
    const job = await enqueuePush(deps.queue, data, deps.redisTimeoutMs);

    request.log.info({ appKey, jobId: job.id, batchNo: data.batchNo }, 'push accepted');
    return reply.code(200).send(buildEnvelope('0000'));
  };
}
