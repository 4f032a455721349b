import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_VERSION = 'v1';
/** IVs drawn from the system's random source at once; one call per seal cost more than the cipher. */
const IV_POOL_SIZE = 1024;

/** Raised when a sealed value cannot be opened: unknown key id, bad format or failed authentication. */
export class SealError extends Error {
  override readonly name = 'SealError';
}

/**
 * AES-256-GCM keyring. Sealed values are text envelopes `v1.<keyId>.<iv>.<ciphertext+tag>`
 * (base64url parts), so each value names the key that sealed it and old keys keep
 * opening values after a rotation. The first key in the list seals new values.
 */
export class Keyring {
  private readonly keys: Map<string, KeyObject>;
  readonly activeKeyId: string;
  private readonly activeKey: KeyObject;
  private readonly activeAad: Buffer;
  private readonly ivPool = Buffer.alloc(IV_BYTES * IV_POOL_SIZE);
  private ivOffset = this.ivPool.length;

  constructor(entries: Array<{ keyId: string; key: Buffer }>) {
    if (entries.length === 0) throw new SealError('密钥环为空, 至少需要一个密钥 (the keyring is empty: at least one key is required)');
    this.keys = new Map();
    for (const { keyId, key } of entries) {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(keyId)) throw new SealError(`密钥 ID "${keyId}" 必须是 1 到 32 个 A-Z, a-z, 0-9, _ 或 - 字符 (key id must be 1-32 characters of A-Z, a-z, 0-9, _ or -)`);
      if (key.length !== KEY_BYTES) throw new SealError(`密钥 "${keyId}" 解码后是 ${key.length} 字节, 应为 ${KEY_BYTES} 字节 (key decodes to ${key.length} bytes, expected ${KEY_BYTES})`);
      if (this.keys.has(keyId)) throw new SealError(`密钥 ID "${keyId}" 出现了两次 (key id appears twice)`);
      this.keys.set(keyId, createSecretKey(key));
    }
    this.activeKeyId = entries[0]!.keyId;
    this.activeKey = this.keys.get(this.activeKeyId)!;
    this.activeAad = Buffer.from(this.activeKeyId);
  }

  /** Parses `keyId:base64key[,keyId:base64key...]` as PII_ENCRYPTION_KEYS contains it. */
  static parse(spec: string): Keyring {
    const entries = spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part, index) => {
        const colon = part.indexOf(':');
        // The entry is not echoed: without its key id, its first characters are key material.
        if (colon <= 0) throw new SealError(`第 ${index + 1} 项没有密钥 ID, 每项的格式是 keyId:base64key (keyring entry ${index + 1} has no key id: each entry must look like keyId:base64key)`);
        return { keyId: part.slice(0, colon), key: Buffer.from(part.slice(colon + 1), 'base64') };
      });
    return new Keyring(entries);
  }

  seal(plaintext: string | Buffer): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.activeKey, iv);
    // The key id is authenticated too, so an envelope cannot be relabelled to another key.
    cipher.setAAD(this.activeAad);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return `${ENVELOPE_VERSION}.${this.activeKeyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Returns 12 fresh random bytes; each IV is used once, because the pool is refilled before any byte repeats. */
  private nextIv(): Buffer {
    if (this.ivOffset + IV_BYTES > this.ivPool.length) {
      randomFillSync(this.ivPool);
      this.ivOffset = 0;
    }
    const iv = this.ivPool.subarray(this.ivOffset, this.ivOffset + IV_BYTES);
    this.ivOffset += IV_BYTES;
    return iv;
  }

  openBuffer(envelope: string): Buffer {
    const [version, keyId, ivText, bodyText, ...rest] = envelope.split('.');
    if (version !== ENVELOPE_VERSION || !keyId || !ivText || !bodyText || rest.length > 0) {
      throw new SealError('sealed value has an invalid format');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new SealError(`sealed value uses key id "${keyId}", which is not in PII_ENCRYPTION_KEYS`);
    const body = Buffer.from(bodyText, 'base64url');
    if (body.length < TAG_BYTES) throw new SealError('sealed value is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SealError(`sealed value failed authentication with key id "${keyId}"`);
    }
  }

  open(envelope: string): string {
    return this.openBuffer(envelope).toString('utf8');
  }

  /** Returns the key id an envelope was sealed with, without opening it. */
  static keyIdOf(envelope: string): string | undefined {
    return envelope.split('.')[1];
  }
}

/** Keyed hash (HMAC-SHA256, hex) for exact look-up of a personal-data value without storing it. */
export class KeyedHasher {
  private readonly key: KeyObject;

  constructor(key: Buffer) {
    if (key.length < KEY_BYTES) throw new SealError(`哈希密钥解码后是 ${key.length} 字节, 至少应为 ${KEY_BYTES} 字节 (hash key decodes to ${key.length} bytes, expected at least ${KEY_BYTES})`);
    this.key = createSecretKey(key);
  }

  static parse(base64: string): KeyedHasher {
    return new KeyedHasher(Buffer.from(base64, 'base64'));
  }

  hash(value: string): string {
    return createHmac('sha256', this.key).update(value.trim().toUpperCase()).digest('hex');
  }
}
