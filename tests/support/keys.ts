import { randomBytes } from 'node:crypto';

/** Personal-data keys in the format the config schemas require. */
export interface TestKeys {
  /** One `keyId:base64` entry of a 32-byte AES-256-GCM key. */
  PII_ENCRYPTION_KEYS: string;
  /** Base64 of a 32-byte HMAC-SHA256 key. */
  PII_HASH_KEY: string;
}

/** Returns freshly generated keys; pass the same object to every process of one test. */
export function testKeys(): TestKeys {
  return {
    PII_ENCRYPTION_KEYS: `test1:${randomBytes(32).toString('base64')}`,
    PII_HASH_KEY: randomBytes(32).toString('base64'),
  };
}
