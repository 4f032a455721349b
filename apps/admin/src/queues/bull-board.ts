import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { errorHandler as bullBoardErrors } from '@bull-board/api/dist/handlers/error.js';
import type { AfterHook, HTTPStatus, IServerAdapter } from '@bull-board/api/typings/app';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readOnlyUnlessOperator } from '../auth/roles.ts';
import { isRedisUnavailable } from '@student-sync/queue';
import { handleAdminError, messageOf, REDIS_UNAVAILABLE } from '../error-handler.ts';
import { AdminHttpError } from '../http-error.ts';

/** URL path of Bull Board. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Header that carries the signed-in role into Bull Board's hooks, which see request headers
 * only. It is overwritten on every request, so a value sent by a client never counts.
 */
const ROLE_HEADER = 'x-student-sync-admin-role';

export interface BullBoardQueues {
  push: Queue;
  deadLetters: Queue;
}

/**
 * Mounts Bull Board with the push and dead-letter queues, in Simplified Chinese. Users
 * without the operator role get Bull Board's read-only interface, and any request of theirs
 * that is not a read is rejected with 403 before it reaches Bull Board.
 */
export async function registerBullBoard(app: FastifyInstance, queues: BullBoardQueues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: [
      new BullMQAdapter(queues.push, { displayName: '学生变更推送 (push queue)', description: '每条已受理的推送一个任务', allowRetries: false }),
      new BullMQAdapter(queues.deadLetters, {
        displayName: '死信 (dead letters)',
        description: '最终失败的推送；在“批次与死信”页面重放',
        allowRetries: false,
      }),
    ],
    // @bull-board/fastify 9.10.1 declares its own copy of @bull-board/api 9.10.1. Its types
    // differ from 9.10.2 only in private members, so the adapter works with either at run time.
    serverAdapter: serverAdapter as unknown as IServerAdapter,
    options: {
      uiConfig: {
        boardTitle: '学生同步队列',
        locale: { lng: 'zh-CN' },
        miscLinks: [{ text: '批次与死信', url: '/admin/batches' }],
        hideDocsLink: true,
      },
      handlerHooks: { after: readOnlyInterfaceForViewers },
    },
  });

  // Set after createBullBoard, which installs Bull Board's own handler. That one responds to a Redis outage with 500 and English texts.
  // Bull Board's status type omits 503, and its Fastify adapter passes any status to the reply.
  const unavailable = { status: 503 as HTTPStatus, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: REDIS_UNAVAILABLE } };
  serverAdapter.setErrorHandler((error) => {
    if (isRedisUnavailable(error)) return unavailable;
    const response = bullBoardErrors(error);
    const status = response.status ?? 500;
    if (status >= 500) return response;
    // Errors of the admin's hooks and of Fastify (a missing login, say) keep the admin's Chinese-first texts.
    return { ...response, body: { ...(response.body as object), message: messageOf(error as FastifyError, status) } };
  });

  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      request.headers[ROLE_HEADER] = request.adminRole ?? 'none';
    });
    scope.addHook('onRequest', readOnlyForViewers);
    scope.addHook('onRequest', rejectJobsOutsideTheIngress);
    scope.addHook('onRequest', keepUnfinishedJobs(queues));
    scope.addHook('onRequest', promoteDelayedOnly(queues));
    // The body is parsed by then, and these checks read it.
    scope.addHook('preHandler', keepJobsMoving);
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}

/** Marks every queue read-only in the queue list sent to viewers, so the interface hides its action buttons. */
const readOnlyInterfaceForViewers: AfterHook = (context, result) => {
  const isQueueList = context.method === 'get' && context.route === '/api/queues';
  if (!isQueueList || context.request.headers[ROLE_HEADER] === 'operator') return result;
  const body = result.body as { queues?: Array<Record<string, unknown>> };
  if (!Array.isArray(body.queues)) return result;
  const queues = body.queues.map((queue) => ({ ...queue, readOnlyMode: true, allowRetries: false, allowCompletedRetries: false }));
  return { ...result, body: { ...body, queues } };
};

/** Returns the request as `<method> <path below /admin/queues>`, the form the action patterns match. */
function actionOf(request: FastifyRequest): string {
  return `${request.method} ${request.url.split('?')[0]!.slice(BULL_BOARD_PATH.length)}`;
}

/**
 * Bull Board actions that would bypass the push contract, as `<method> <path below /admin/queues>`.
 * A failed push job has already been dead-lettered, so retrying it in place could dead-letter
 * it a second time. A job added or edited here skips the ingress's validation and sealing, so
 * it could put plaintext ID or card numbers in Redis.
 */
const BLOCKED_ACTIONS = [/^PUT \/api\/queues\/[^/]+\/retry\/[^/]+$/, /^PUT \/api\/queues\/[^/]+\/[^/]+\/retry$/, /^POST \/api\/queues\/[^/]+\/add$/, /^PATCH \/api\/queues\/[^/]+\/[^/]+\/update-data$/];

/**
 * Rejects with 409 the Bull Board requests that retry, add or edit jobs, for every role. The
 * reply is sent here, because Bull Board's own error handler would report an internal error.
 */
async function rejectJobsOutsideTheIngress(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const action = actionOf(request);
  if (!BLOCKED_ACTIONS.some((pattern) => pattern.test(action))) return undefined;
  request.log.warn({ user: request.adminUser, method: request.method, url: request.url }, 'bull board action rejected, it would bypass the push contract');
  const rejection = new AdminHttpError(
    409,
    '不能在 Bull Board 中重试、添加或修改任务: 失败的推送已进入死信队列, 请在“批次与死信”页面或用 student-sync replay 重放 (retrying, adding or editing jobs in Bull Board is disabled; replay dead letters instead)',
  );
  return handleAdminError(rejection, request, reply);
}

/**
 * Job states that Bull Board may remove, per queue. A push job leaves Redis unapplied only when it
 * finished: completed, or failed and so already dead-lettered. A dead letter is waiting for replay,
 * which removes it itself.
 */
function removableStates(queues: BullBoardQueues, queueName: string): readonly string[] | undefined {
  if (queueName === queues.push.name) return ['completed', 'failed'];
  if (queueName === queues.deadLetters.name) return ['completed'];
  return undefined;
}

const QUEUE_ACTION = /^PUT \/api\/queues\/([^/]+)\/(.+)$/;

/**
 * Rejects with 409, for every role, the Bull Board requests that would delete pushes not yet
 * applied or dead letters not yet replayed: emptying or obliterating a queue, cleaning any state
 * but a finished one, and removing an unfinished job. The ingress has returned 0000 for each of
 * those pushes, so the platform does not send them again.
 */
function keepUnfinishedJobs(queues: BullBoardQueues) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const match = QUEUE_ACTION.exec(actionOf(request));
    if (!match) return undefined;
    const queueName = decodeURIComponent(match[1]!);
    const removable = removableStates(queues, queueName);
    if (!removable) return undefined;

    let state: string | undefined;
    try {
      state = await stateToRemove(queues, queueName, match[2]!);
    } catch (error) {
      // Sent here, like every reply of these hooks, so Bull Board does not report an internal error.
      return handleAdminError(error as AdminHttpError, request, reply);
    }
    if (state === undefined || removable.includes(state)) return undefined;
    request.log.warn({ user: request.adminUser, method: request.method, url: request.url, state }, 'bull board removal rejected, the jobs are not finished');
    const description = state === 'all' ? { zh: '清空或删除整个队列', en: 'emptying or obliterating a queue' } : { zh: `删除状态为 ${state} 的任务`, en: `removing ${state} jobs` };
    const rejection = new AdminHttpError(
      409,
      `不能在 Bull Board 中${description.zh}: 等待或重试中的推送还没有写入数据库, 死信只能通过重放移出. 可以清理已完成 (completed) 的任务, 以及推送队列中已失败 (failed) 的任务 (${description.en} in Bull Board is disabled: it would delete pushes not yet applied or dead letters not yet replayed)`,
    );
    return handleAdminError(rejection, request, reply);
  };
}

const PROMOTE_JOB = /^PUT \/api\/queues\/([^/]+)\/([^/]+)\/promote$/;

/**
 * Rejects with 409 the promotion of a job that is not waiting for a retry. BullMQ then throws,
 * which Bull Board reported as an internal error, and a dead letter is replayed, not promoted.
 */
function promoteDelayedOnly(queues: BullBoardQueues) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const match = PROMOTE_JOB.exec(actionOf(request));
    if (!match) return undefined;
    const queueName = decodeURIComponent(match[1]!);
    const queue = [queues.push, queues.deadLetters].find((known) => known.name === queueName);
    if (!queue) return undefined;

    let state: string;
    try {
      state = await queue.getJobState(decodeURIComponent(match[2]!));
    } catch (error) {
      return handleAdminError(new AdminHttpError(503, `无法读取任务状态, 请确认 Redis 可用后重试 (reading the job state failed: ${(error as Error).message})`), request, reply);
    }
    // Bull Board returns 404 for a job that does not exist.
    if (state === 'unknown' || (state === 'delayed' && queue === queues.push)) return undefined;
    const hint = queue === queues.deadLetters ? '死信请在“批次与死信”页面或用 student-sync replay 重放' : `该任务的状态是 ${state}`;
    const rejection = new AdminHttpError(409, `只能提前执行推送队列中等待重试 (delayed) 的任务; ${hint} (only delayed push jobs can be promoted)`);
    return handleAdminError(rejection, request, reply);
  };
}

/**
 * Returns the job state a Bull Board action below `/api/queues/<queue>/` would delete. That is
 * `all` for emptying or obliterating, the named state for cleaning, and the job's current state
 * for removing one job. It is undefined when the action deletes nothing or the job does not exist.
 */
async function stateToRemove(queues: BullBoardQueues, queueName: string, action: string): Promise<string | undefined> {
  if (action === 'empty' || action === 'obliterate') return 'all';
  const cleaned = /^clean\/([^/]+)$/.exec(action);
  if (cleaned) return decodeURIComponent(cleaned[1]!);
  const removed = /^([^/]+)\/clean$/.exec(action);
  if (!removed) return undefined;
  const queue = queueName === queues.push.name ? queues.push : queues.deadLetters;
  let state: string;
  try {
    state = await queue.getJobState(decodeURIComponent(removed[1]!));
  } catch (error) {
    throw new AdminHttpError(503, `无法读取任务状态, 请确认 Redis 可用后重试 (reading the job state failed: ${(error as Error).message})`);
  }
  // Bull Board returns 404 for a job that does not exist.
  return state === 'unknown' ? undefined : state;
}

/**
 * Runs the read-only check and sends its 403 here. Thrown from a hook in this scope, the error
 * would reach Bull Board's own error handler, which reports every error as an internal one.
 */
async function readOnlyForViewers(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  try {
    await readOnlyUnlessOperator(request, reply);
    return undefined;
  } catch (error) {
    return handleAdminError(error as AdminHttpError, request, reply);
  }
}

const THROTTLE_ACTIONS = {
  rateLimit: /^PUT \/api\/queues\/[^/]+\/rate-limit$/,
  concurrency: /^PUT \/api\/queues\/[^/]+\/concurrency$/,
  jobTiming: /^PATCH \/api\/queues\/[^/]+\/[^/]+\/(delay|priority)$/,
};

/**
 * Rejects with 409, for every role, the Bull Board requests that would hold accepted pushes back:
 * a queue-wide rate limit or concurrency, and a job's delay or priority. Such a setting stays in
 * Redis for every worker until someone removes it, so removing one is still allowed.
 */
async function keepJobsMoving(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const action = actionOf(request);
  const body = (request.body ?? {}) as { max?: unknown; concurrency?: unknown };
  const removesLimit = THROTTLE_ACTIONS.rateLimit.test(action) && (body.max === null || body.max === undefined);
  const removesConcurrency = THROTTLE_ACTIONS.concurrency.test(action) && (body.concurrency === null || (typeof body.concurrency === 'number' && body.concurrency <= 0));
  const throttles = Object.values(THROTTLE_ACTIONS).some((pattern) => pattern.test(action));
  if (!throttles || removesLimit || removesConcurrency) return undefined;

  request.log.warn({ user: request.adminUser, method: request.method, url: request.url }, 'bull board action rejected, it would hold pushes back');
  const rejection = new AdminHttpError(
    409,
    '不能在 Bull Board 中设置队列的速率限制或全局并发, 也不能修改任务的延迟或优先级: 这会让已受理的推送停滞. worker 的并发用 WORKER_CONCURRENCY 设置; 已有的速率限制和全局并发可以在这里清除 (setting a rate limit or global concurrency, or a job\'s delay or priority, is disabled; removing an existing limit is allowed)',
  );
  return handleAdminError(rejection, request, reply);
}
