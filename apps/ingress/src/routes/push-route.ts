import type { FastifyInstance } from 'fastify';
import { acceptPush, type AcceptDeps } from '../push/accept-push.ts';
import { replyWithError } from '../push/error-reply.ts';
import { acceptRawJson } from '../push/raw-json-parser.ts';
import { signReply } from '../push/sign-reply.ts';
import { checkHeadersAndClient, checkSignature, type VerifyDeps } from '../push/verify-hooks.ts';

export interface PushRouteOptions extends AcceptDeps, VerifyDeps {
  path: string;
  bodyLimitBytes: number;
  /** Requests per minute per app-key; 0 turns the limit off. */
  rateLimitPerMinute: number;
}

/**
 * Registers the push endpoint (API 4.4.3). The checks run in this order: headers and client
 * on request, reading the body as raw bytes, the signature, the rate limit (so only verified
 * app-keys are counted), then validation and enqueueing.
 */
export async function pushRoute(app: FastifyInstance, options: PushRouteOptions): Promise<void> {
  acceptRawJson(app);
  app.decorateRequest('pushState', null);
  app.setErrorHandler(replyWithError);
  app.addHook('onSend', signReply(options.now));

  app.post(options.path, {
    bodyLimit: options.bodyLimitBytes,
    onRequest: checkHeadersAndClient(options),
    preValidation: checkSignature,
    config: options.rateLimitPerMinute > 0 ? { rateLimit: { max: options.rateLimitPerMinute, timeWindow: 60_000 } } : {},
    handler: acceptPush(options),
  });
}
