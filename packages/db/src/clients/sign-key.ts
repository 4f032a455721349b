import { randomBytes } from 'node:crypto';

/** Random bytes behind a sign key: 192 bits, written as 32 base64url characters. */
const SIGN_KEY_BYTES = 24;

/**
 * Generates a sign key. base64url keeps it to ASCII letters, digits, `-` and `_`, so it
 * survives copying into the fee platform's configuration and the UTF-8 signing input unchanged.
 */
export function generateSignKey(): string {
  return randomBytes(SIGN_KEY_BYTES).toString('base64url');
}
