import { ProtocolError } from '@student-sync/protocol';
import type { FastifyInstance } from 'fastify';

const CHARSET_PARAMETER = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * Replaces the JSON parser of `app` with one that keeps the body as raw bytes, because the
 * signature covers the exact bytes received. Any casing and spacing of `application/json`
 * and its parameters is accepted; a charset other than UTF-8 is a 2001 with HTTP 415.
 */
export function acceptRawJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = CHARSET_PARAMETER.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      done(new ProtocolError('2001', 'Content-Type 的 charset 必须是 UTF-8', { httpStatus: 415 }), undefined);
      return;
    }
    done(null, body);
  });
}
