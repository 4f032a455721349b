import {
  readSignedHeaders,
  requireEnabledClient,
  requireFreshTimestamp,
  requireValidSignature,
  type ClientDirectory,
} from '@student-sync/protocol';
import type { FastifyRequest } from 'fastify';
import './request-state.ts';

export interface VerifyDeps {
  clients: ClientDirectory;
  maxSkewMs: number;
  now: () => Date;
}

/**
 * Checks the signing headers (1001), the client (1002) and the clock skew (1003) before the
 * body is read, so a request rejected on its headers costs no body parsing, and a body over
 * the limit still gets a signed 2003.
 */
export function checkHeadersAndClient(deps: VerifyDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const headers = readSignedHeaders(request.headers);
    const client = requireEnabledClient(await deps.clients.findClientForVerification(headers.appKey));
    request.pushState = { headers, client, signer: { appKey: client.appKey, scheme: client.scheme, signKey: client.signKeys[0]! } };
    requireFreshTimestamp(headers, deps.now(), deps.maxSkewMs);
  };
}

/** Checks x-sign over the raw body (1004) and signs the response with the key that matched. */
export async function checkSignature(request: FastifyRequest): Promise<void> {
  const state = request.pushState!;
  const signKey = requireValidSignature(state.client, state.headers, rawBodyOf(request));
  state.signer = { appKey: state.client.appKey, scheme: state.client.scheme, signKey };
}

/** Returns the body bytes as the content-type parser kept them, or an empty buffer when the request had no body. */
export function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
