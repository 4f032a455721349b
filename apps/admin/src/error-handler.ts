import { driverAdapterCause } from '@student-sync/db/driver-fault';
import { isRedisUnavailable, QueueUnavailableError } from '@student-sync/queue';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AdminHttpError } from './http-error.ts';
import { html } from './pages/html.ts';
import { renderPage, sendPage } from './pages/layout.ts';
import type { RouteTable } from './route-table.ts';
import { describeValidation } from './validation-message.ts';

const GENERIC_MESSAGES: Record<number, string> = {
  401: '需要登录: 用户名和密码是部署时设置的 ADMIN_USERNAME 和 ADMIN_PASSWORD, npm start 把它们写在 .env 中 (authentication required)',
  404: '页面或资源不存在 (not found)',
  500: '服务器内部错误，详情见日志 (internal error, see the log)',
};

export const REDIS_UNAVAILABLE = '队列存储 (Redis) 不可用, 请检查 Redis 是否在运行以及 REDIS_URL, 稍后重试 (Redis unavailable)';
const DATABASE_UNAVAILABLE = '数据库 (PostgreSQL) 不可用, 请检查 PostgreSQL 是否在运行以及 DATABASE_URL, 稍后重试 (PostgreSQL unavailable)';

/** Sends every error as JSON, or as a page to a browser that asked for one. 5xx details stay in the log. */
export function handleAdminError(error: FastifyError | AdminHttpError, request: FastifyRequest, reply: FastifyReply) {
  const unavailable = unavailableStore(error);
  let statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (unavailable) statusCode = 503;
  const message = unavailable ?? messageOf(error, statusCode, request);
  if (statusCode >= 500) request.log.error({ err: error, url: request.url }, 'admin request failed');
  else request.log.info({ statusCode, code: (error as FastifyError).code, url: request.url }, 'admin request rejected');

  if (error instanceof AdminHttpError) reply.headers(error.headers);
  if (wantsPage(request)) {
    return sendPage(reply, renderPage({ title: `出错了 (${statusCode})`, role: request.adminRole, body: html`<p class="error">${message}</p>` }), statusCode);
  }
  return reply.code(statusCode).send({ statusCode, error: errorName(statusCode), message });
}

/**
 * Returns the handler of requests no route takes. It runs after authentication, so it reveals
 * nothing to strangers. A known path asked with another method gets 405 with `Allow` and the
 * methods it takes, and any other path gets 404.
 */
export function notFoundHandler(routes: RouteTable) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0]!;
    const allowed = routes.methodsFor(path);
    if (allowed.length === 0) return handleAdminError(new AdminHttpError(404, GENERIC_MESSAGES[404]!), request, reply);

    const named = allowed.filter((method) => method !== 'HEAD').join(', ');
    const message = `${path} 只接受 ${named} 请求 (accepts ${named} only)`;
    return handleAdminError(new AdminHttpError(405, message, { allow: allowed.join(', ') }), request, reply);
  };
}

/** Longest path parameter, a batch or student number, in characters. */
export const MAX_PATH_PARAM_CHARS = 300;

/** Chinese texts of Fastify's own errors about a request, which it words in English only. */
const FASTIFY_ERRORS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是合法的 JSON (body is not valid JSON)',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求体为空, 请发送 JSON 对象, 例如 {"dryRun": true} (body is empty)',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: '不支持的 Content-Type, 请发送 Content-Type: application/json (unsupported media type)',
  FST_ERR_CTP_BODY_TOO_LARGE: '请求体过大 (body too large)',
  FST_ERR_MAX_PARAM_LENGTH: `路径中的批次号或学号过长, 最多 ${MAX_PATH_PARAM_CHARS} 个字符 (path parameter too long)`,
  FST_ERR_BAD_URL: '网址无效, 请检查路径中的编码 (malformed URL)',
};

/** Returns the message for an error that means Redis or PostgreSQL is down, or undefined for any other error. */
function unavailableStore(error: Error): string | undefined {
  if (error instanceof QueueUnavailableError || isRedisUnavailable(error)) return REDIS_UNAVAILABLE;
  if (driverAdapterCause(error)?.kind === 'DatabaseNotReachable') return DATABASE_UNAVAILABLE;
  return undefined;
}

/** Returns the Chinese-first message the admin sends for an error with `statusCode`. Details of a 5xx stay in the log. */
export function messageOf(error: FastifyError | AdminHttpError, statusCode: number, request?: FastifyRequest): string {
  if (statusCode >= 500) return GENERIC_MESSAGES[500]!;
  if (error instanceof AdminHttpError) return error.message;
  const fastifyError = FASTIFY_ERRORS[(error as FastifyError).code];
  if (fastifyError) return fastifyError;
  const { validation, validationContext } = error as FastifyError;
  if (validation) return describeValidation(validation, validationContext, error.message, { allowedFields: schemaFields(request, validationContext), method: request?.method });
  return GENERIC_MESSAGES[statusCode] ?? error.message;
}

/** Returns the fields the route's schema allows in `part` of the request, such as its query string, or undefined when the route has no such schema. */
function schemaFields(request: FastifyRequest | undefined, part: string | undefined): string[] | undefined {
  if (!request || !part) return undefined;
  const schema = (request.routeOptions.schema as Record<string, { properties?: Record<string, unknown> } | undefined> | undefined)?.[part];
  return schema ? Object.keys(schema.properties ?? {}) : undefined;
}

function errorName(statusCode: number): string {
  const names: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict', 429: 'too_many_requests', 503: 'service_unavailable' };
  return names[statusCode] ?? (statusCode >= 500 ? 'internal_error' : 'error');
}

function wantsPage(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0]!;
  const isPage = path.startsWith('/admin/') && !path.startsWith('/admin/api/') && !path.startsWith('/admin/queues');
  return isPage && (request.headers.accept ?? '').includes('text/html');
}
