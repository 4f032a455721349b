import { createHmac } from 'node:crypto';
import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, findMatchingKey, signatureMatches } from './signing.ts';

// Test vector of the fee platform's signing rule; note the space after the first colon.
const vector = {
  body: Buffer.from('{"id": "FA357C3C7F634EA3924A6E80C8415A15","name":"张三"}', 'utf8'),
  appKey: 'test',
  timestamp: '20180101123514',
  signKey: '123456',
};
const VECTOR_DIGEST = '8764f50c33d287e36ea07262a7d893b4';

/** HMAC as RFC 2104 defines it (64-byte block), built on plain SM3. */
function hmacBySpec(input: typeof vector): string {
  const block = Buffer.alloc(64);
  Buffer.from(input.signKey, 'utf8').copy(block);
  const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte));
  const message = Buffer.concat([input.body, Buffer.from(input.appKey + input.timestamp + input.signKey)]);
  const inner = Buffer.from(smCrypto.sm3(new Uint8Array(Buffer.concat([pad(0x36), message]))), 'hex');
  return smCrypto.sm3(new Uint8Array(Buffer.concat([pad(0x5c), inner])));
}

describe('computeSignature', () => {
  it('matches the MD5 test vector', () => {
    expect(computeSignature('MD5', vector)).toBe(VECTOR_DIGEST);
  });

  it('signs the exact bytes, so re-serialising changes the digest', () => {
    const compact = { ...vector, body: Buffer.from(JSON.stringify(JSON.parse(vector.body.toString('utf8'))), 'utf8') };
    expect(computeSignature('MD5', compact)).not.toBe(VECTOR_DIGEST);
  });

  it('keys HMAC-SHA256 with the sign key over the same input', () => {
    const input = Buffer.concat([vector.body, Buffer.from('test20180101123514123456')]);
    const expected = createHmac('sha256', '123456').update(input).digest('hex');
    expect(computeSignature('HMAC_SHA256', vector)).toBe(expected);
  });

  it('produces a 64-hex HMAC-SM3 that depends on the key', () => {
    const digest = computeSignature('HMAC_SM3', vector);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(computeSignature('HMAC_SM3', { ...vector, signKey: '654321' })).not.toBe(digest);
  });

  it('follows the HMAC construction over SM3', () => {
    // SM3("abc") is the example digest of GB/T 32905-2016, so plain sm3 is trusted here.
    expect(smCrypto.sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(computeSignature('HMAC_SM3', vector)).toBe(hmacBySpec(vector));
  });
});

describe('signatureMatches', () => {
  it('accepts upper-case hex', () => {
    expect(signatureMatches('MD5', vector, VECTOR_DIGEST.toUpperCase())).toBe(true);
  });

  it('rejects a different digest and a wrong length', () => {
    expect(signatureMatches('MD5', vector, '0'.repeat(32))).toBe(false);
    expect(signatureMatches('MD5', vector, VECTOR_DIGEST.slice(1))).toBe(false);
  });
});

describe('findMatchingKey', () => {
  it('finds the key that signed, in order', () => {
    const { signKey: _unused, ...request } = vector;
    expect(findMatchingKey('MD5', ['new-key', '123456'], request, VECTOR_DIGEST)).toBe(1);
    expect(findMatchingKey('MD5', ['new-key'], request, VECTOR_DIGEST)).toBe(-1);
  });
});
