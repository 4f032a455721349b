import * as crypto from 'node:crypto';
import { computeSignature, signatureMatches, type SignatureInput, type SignScheme } from '@student-sync/protocol';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const INPUT: SignatureInput = { body: Buffer.from('{"xh":"2024001"}'), appKey: 'efutong', timestamp: '20240901083000', signKey: 'sign-key-1' };
const SCHEMES: SignScheme[] = ['MD5', 'HMAC_SHA256', 'HMAC_SM3'];

describe('signature comparison', () => {
  const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

  beforeEach(() => {
    timingSafeEqual.mockClear();
  });

  it.each(SCHEMES)('%s compares through timingSafeEqual', (scheme) => {
    const expected = computeSignature(scheme, INPUT);
    const wrongFirst = (expected[0] === '0' ? '1' : '0') + expected.slice(1);
    const wrongLast = expected.slice(0, -1) + (expected.endsWith('0') ? '1' : '0');

    expect(signatureMatches(scheme, INPUT, expected)).toBe(true);
    expect(signatureMatches(scheme, INPUT, wrongFirst)).toBe(false);
    expect(signatureMatches(scheme, INPUT, wrongLast)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
    for (const [actual, wanted] of timingSafeEqual.mock.calls) expect((actual as Buffer).length).toBe((wanted as Buffer).length);
  });

  it('ignores hex case', () => {
    const expected = computeSignature('MD5', INPUT);
    expect(signatureMatches('MD5', INPUT, expected.toUpperCase())).toBe(true);
  });

  it('rejects another length before comparing bytes', () => {
    // The length of a signature is public (32 or 64 hex), so returning early on it reveals nothing secret.
    expect(signatureMatches('MD5', INPUT, computeSignature('HMAC_SHA256', INPUT))).toBe(false);
    expect(timingSafeEqual).not.toHaveBeenCalled();
  });
});
