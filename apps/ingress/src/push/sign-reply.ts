import { signResponse } from '@student-sync/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Adds `app-key`, `timestamp` and `x-sign` over the exact response bytes. Responses sent
 * before the client is known (1001, 1002) stay unsigned, because no sign key exists for them.
 */
export function signReply(now: () => Date) {
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void => {
    const signer = request.pushState?.signer;
    if (signer && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
      reply.headers(signResponse(signer, bytes, now()));
    }
    done(null, payload);
  };
}
