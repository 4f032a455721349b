/// <reference path="./sm-crypto.d.ts" />
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import smCrypto from 'sm-crypto';

/**
 * Signing scheme of a client. MD5 is the fee platform's scheme and the default. The HMAC
 * schemes digest the same input, keyed with the sign key, for clients that agree to them.
 */
export type SignScheme = 'MD5' | 'HMAC_SHA256' | 'HMAC_SM3';

export const SIGN_SCHEMES: readonly SignScheme[] = ['MD5', 'HMAC_SHA256', 'HMAC_SM3'];

/** Hex length of each scheme's signature. */
export const SIGNATURE_HEX_LENGTH: Record<SignScheme, number> = { MD5: 32, HMAC_SHA256: 64, HMAC_SM3: 64 };

export interface SignatureInput {
  /** The body exactly as sent or received; never a re-serialised object. */
  body: Buffer;
  appKey: string;
  /** 14-digit GMT+8 timestamp as it appears in the `timestamp` header. */
  timestamp: string;
  signKey: string;
}

/** Builds the signed bytes: body, app-key, timestamp and sign key concatenated with no separators. */
export function signatureBytes(input: SignatureInput): Buffer {
  const suffix = Buffer.from(input.appKey + input.timestamp + input.signKey, 'utf8');
  return Buffer.concat([input.body, suffix]);
}

/** Computes the lowercase hex signature of `input` under `scheme`. */
export function computeSignature(scheme: SignScheme, input: SignatureInput): string {
  const bytes = signatureBytes(input);
  switch (scheme) {
    case 'MD5':
      return hash('md5', bytes, 'hex');
    case 'HMAC_SHA256':
      return createHmac('sha256', input.signKey).update(bytes).digest('hex');
    case 'HMAC_SM3':
      return smCrypto.sm3(new Uint8Array(bytes), { mode: 'hmac', key: new Uint8Array(Buffer.from(input.signKey, 'utf8')) });
  }
}

/**
 * Returns true when `received` matches the signature of `input`. Hex case is ignored and
 * the comparison takes the same time wherever the first differing character is.
 */
export function signatureMatches(scheme: SignScheme, input: SignatureInput, received: string): boolean {
  const expected = Buffer.from(computeSignature(scheme, input), 'utf8');
  const actual = Buffer.from(received.toLowerCase(), 'utf8');
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}

/**
 * Returns the index of the first sign key whose signature matches, or -1. Several keys
 * verify while a rotated-out key is still inside its grace period.
 */
export function findMatchingKey(
  scheme: SignScheme,
  signKeys: readonly string[],
  request: Omit<SignatureInput, 'signKey'>,
  received: string,
): number {
  return signKeys.findIndex((signKey) => signatureMatches(scheme, { ...request, signKey }, received));
}
