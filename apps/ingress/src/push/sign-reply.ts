import { signResponse, type ResponseSigner } from '@student-sync/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Signers whose last signature is kept; past this the cache starts over, so it stays small. */
const MAX_CACHED_SIGNERS = 100;

interface CachedSignature {
  signer: ResponseSigner;
  payload: string;
  /** Unix time in whole seconds, the resolution of the `timestamp` header. */
  second: number;
  headers: Record<string, string>;
}

/**
 * Adds `app-key`, `timestamp` and `x-sign` over the exact response bytes. Responses sent
 * before the client is known (1001, 1002) stay unsigned, because no sign key exists for them.
 * Most responses are the same 0000 envelope, and the signature changes only with the second
 * in `timestamp`, so the last signature of each signer is reused within its second.
 */
export function signReply(now: () => Date) {
  const cache = new Map<string, CachedSignature>();
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void => {
    const signer = request.pushState?.signer;
    if (signer && typeof payload === 'string') {
      reply.headers(cachedSignature(cache, signer, payload, now()));
    } else if (signer && Buffer.isBuffer(payload)) {
      reply.headers(signResponse(signer, payload, now()));
    }
    done(null, payload);
  };
}

function cachedSignature(cache: Map<string, CachedSignature>, signer: ResponseSigner, payload: string, at: Date): Record<string, string> {
  const second = Math.floor(at.getTime() / 1000);
  const cached = cache.get(signer.signKey);
  if (cached && cached.second === second && cached.payload === payload && sameSigner(cached.signer, signer)) return cached.headers;

  const headers = signResponse(signer, Buffer.from(payload, 'utf8'), at);
  if (cache.size >= MAX_CACHED_SIGNERS) cache.clear();
  cache.set(signer.signKey, { signer, payload, second, headers });
  return headers;
}

function sameSigner(a: ResponseSigner, b: ResponseSigner): boolean {
  return a.appKey === b.appKey && a.scheme === b.scheme && a.signKey === b.signKey;
}
