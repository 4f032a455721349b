import { hash } from 'node:crypto';

export function sha256Hex(bytes: Buffer): string {
  return hash('sha256', bytes, 'hex');
}

/**
 * Returns the idempotency key of a push: `<app-key>:<sha256 hex of the raw body>`. An identical
 * resend has the same key; any byte of difference, even whitespace, makes a new push.
 */
export function idempotencyKey(appKey: string, rawBody: Buffer): string {
  return `${appKey}:${sha256Hex(rawBody)}`;
}
