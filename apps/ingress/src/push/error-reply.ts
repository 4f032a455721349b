import { APP_KEY_PATTERN, buildEnvelope, ProtocolError } from '@student-sync/protocol';
import { QueueUnavailableError } from '@student-sync/queue';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** Fastify's own errors that have a response code of the push API (Fastify 5.12 codes). */
const FASTIFY_ERRORS: Record<string, (request?: FastifyRequest) => ProtocolError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (request) => new ProtocolError('2003', request ? `上限 ${request.routeOptions.bodyLimit} 字节` : undefined),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new ProtocolError('2001', 'Content-Type 必须是 application/json;charset=UTF-8', { httpStatus: 415 }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new ProtocolError('2001', '请求体长度与 Content-Length 不一致'),
};

/**
 * Codes of a sender that could not be authenticated: an unknown or disabled app-key, or a
 * wrong signature. They are logged as warnings, so that a platform still signing with a
 * rotated key shows up where operators look for trouble.
 */
const AUTHENTICATION_CODES = new Set(['1002', '1004']);

/** Maps any error raised while handling a push to the ProtocolError sent in response. */
export function toProtocolError(error: unknown, request?: FastifyRequest): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (error instanceof QueueUnavailableError) return new ProtocolError('3002', undefined, { cause: error });
  const fastifyCode = (error as FastifyError | undefined)?.code;
  const mapped = fastifyCode ? FASTIFY_ERRORS[fastifyCode] : undefined;
  return mapped ? mapped(request) : new ProtocolError('9999', undefined, { cause: error });
}

/** Sends the envelope of a rejected push and logs the rejection once. */
export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const rejection = toProtocolError(error, request);
  const fields = { respCode: rejection.code, appKey: appKeyOf(request), detail: rejection.detail };

  if (rejection.code === '9999') request.log.error({ ...fields, err: error }, 'push failed with an unexpected error');
  else if (rejection.httpStatus >= 500) request.log.warn({ ...fields, err: rejection.cause ?? undefined }, 'push rejected, sender should resend later');
  else if (AUTHENTICATION_CODES.has(rejection.code)) request.log.warn(fields, 'push rejected, sender not authenticated');
  else request.log.info(fields, 'push rejected');

  return reply.code(rejection.httpStatus).send(buildEnvelope(rejection.code, rejection.detail));
}

/** Returns the app-key for logs: the verified one, else the header when it has a valid shape. */
function appKeyOf(request: FastifyRequest): string | undefined {
  if (request.pushState) return request.pushState.client.appKey;
  const header = request.headers['app-key'];
  return typeof header === 'string' && APP_KEY_PATTERN.test(header.trim()) ? header.trim() : undefined;
}
