import type { ResponseSigner, SignedHeaders, VerificationClient } from '@student-sync/protocol';

/** State the push route collects about a request as its hooks run. */
export interface PushRequestState {
  headers: SignedHeaders;
  client: VerificationClient;
  /** Signs the response; set once the client is known and enabled. */
  signer?: ResponseSigner;
}

declare module 'fastify' {
  interface FastifyRequest {
    pushState: PushRequestState | null;
  }
}
