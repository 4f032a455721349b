import { computeSignature, formatTimestamp, type SignScheme, signatureMatches } from '@student-sync/protocol';

/** Destination URL and signing identity of pushes. */
export interface PushTarget {
  url: string;
  appKey: string;
  signKey: string;
  scheme: SignScheme;
}

/** Builds the headers of one push, signed over the exact body bytes at `now`. */
export function signedHeaders(target: PushTarget, body: Buffer, now: Date): Record<string, string> {
  const timestamp = formatTimestamp(now);
  const signature = computeSignature(target.scheme, { body, appKey: target.appKey, timestamp, signKey: target.signKey });
  return {
    'content-type': 'application/json;charset=UTF-8',
    'app-key': target.appKey,
    timestamp,
    'x-sign': signature,
  };
}

/** Checks the response's own app-key, timestamp and x-sign headers over its exact body bytes. */
export function responseSignatureValid(target: PushTarget, headers: Headers, body: Buffer): boolean {
  const appKey = headers.get('app-key');
  const timestamp = headers.get('timestamp');
  const signature = headers.get('x-sign');
  if (appKey !== target.appKey || !timestamp || !signature) return false;
  return signatureMatches(target.scheme, { body, appKey, timestamp, signKey: target.signKey }, signature);
}
