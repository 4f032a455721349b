import { computeSignature, type SignScheme } from './signing.ts';
import { formatTimestamp } from './timestamp.ts';

export interface ResponseSigner {
  appKey: string;
  scheme: SignScheme;
  signKey: string;
}

/** Builds the `app-key`, `timestamp` and `x-sign` headers of a response, signed over its exact body bytes. */
export function signResponse(signer: ResponseSigner, body: Buffer, now: Date): Record<string, string> {
  const timestamp = formatTimestamp(now);
  const signature = computeSignature(signer.scheme, { body, appKey: signer.appKey, timestamp, signKey: signer.signKey });
  return { 'app-key': signer.appKey, timestamp, 'x-sign': signature };
}
