import {
  readSignedHeaders,
  requireEnabledClient,
  requireFreshTimestamp,
  requireValidSignature,
  type ClientDirectory,
  type SignedHeaders,
  type VerificationClient,
} from '@student-sync/protocol';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import './request-state.ts';

export interface VerifyDeps {
  clients: ClientDirectory;
  maxSkewMs: number;
  now: () => Date;
}

/**
 * Checks the signing headers (1001), the client (1002) and the clock skew (1003) before the
 * body is read, so a request rejected on its headers costs no body parsing, and a body over
 * the limit still gets a signed 2003. A cached client is used without waiting; these hooks
 * take a callback, because they run for every push and most finish synchronously.
 */
export function checkHeadersAndClient(deps: VerifyDeps) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    let headers: SignedHeaders;
    try {
      headers = readSignedHeaders(request.headers);
    } catch (error) {
      done(error as Error);
      return;
    }
    const cached = deps.clients.peekClientForVerification?.(headers.appKey);
    if (cached !== undefined) {
      admitClient(deps, request, headers, cached, done);
      return;
    }
    deps.clients.findClientForVerification(headers.appKey).then(
      (client) => admitClient(deps, request, headers, client, done),
      (error: Error) => done(error),
    );
  };
}

function admitClient(deps: VerifyDeps, request: FastifyRequest, headers: SignedHeaders, found: VerificationClient | null, done: HookHandlerDoneFunction): void {
  try {
    const client = requireEnabledClient(found);
    request.pushState = { headers, client, signer: { appKey: client.appKey, scheme: client.scheme, signKey: client.signKeys[0]! } };
    requireFreshTimestamp(headers, deps.now(), deps.maxSkewMs);
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

/** Checks x-sign over the raw body (1004) and signs the response with the key that matched. */
export function checkSignature(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const state = request.pushState!;
  try {
    const signKey = requireValidSignature(state.client, state.headers, rawBodyOf(request));
    state.signer = { appKey: state.client.appKey, scheme: state.client.scheme, signKey };
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

/** Returns the body bytes as the content-type parser kept them, or an empty buffer when the request had no body. */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
