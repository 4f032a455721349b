import { describe, expect, it } from 'vitest';
import { idempotencyKey } from './idempotency.ts';
import { readSignedHeaders } from './request-headers.ts';
import { ProtocolError } from './response-codes.ts';
import { signResponse } from './response-signing.ts';
import { computeSignature } from './signing.ts';
import { requireEnabledClient, requireFreshTimestamp, requireValidSignature, type VerificationClient } from './verify.ts';

const body = Buffer.from('{"xh":"2024001","bg_sj":"20240901083000","cz_lx":"ADD"}');
const client: VerificationClient = { appKey: 'efutong', scheme: 'MD5', enabled: true, signKeys: ['current-key', 'old-key'] };

function headersSignedWith(signKey: string, timestamp = '20240901083000') {
  const signature = computeSignature('MD5', { body, appKey: 'efutong', timestamp, signKey });
  return { 'app-key': 'efutong', timestamp, 'x-sign': signature };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return undefined;
}

describe('readSignedHeaders', () => {
  it('reads well-formed headers', () => {
    const headers = readSignedHeaders(headersSignedWith('current-key'));
    expect(headers.appKey).toBe('efutong');
    expect(headers.sentAt.toISOString()).toBe('2024-09-01T00:30:00.000Z');
  });

  it.each([
    ['app-key missing', { 'app-key': undefined }, /缺少请求头 app-key/],
    ['app-key with a space', { 'app-key': 'a b' }, /app-key 必须是/],
    ['timestamp missing', { timestamp: undefined }, /缺少请求头 timestamp/],
    ['timestamp of 13 digits', { timestamp: '2024090108300' }, /timestamp 必须是 14 位数字/],
    ['timestamp in ISO form', { timestamp: '2024-09-01T08:30:00' }, /timestamp 必须是 14 位数字/],
    ['x-sign of 31 hex', { 'x-sign': 'a'.repeat(31) }, /x-sign 必须是 32 位/],
    ['x-sign with a non-hex letter', { 'x-sign': 'g'.repeat(32) }, /x-sign 必须是 32 位/],
    ['x-sign sent twice', { 'x-sign': ['a'.repeat(32), 'a'.repeat(32)] }, /x-sign 出现了多次/],
  ])('rejects %s with 1001', (_case, override, message) => {
    const headers = { ...headersSignedWith('current-key'), ...override };
    expect(codeOf(() => readSignedHeaders(headers))).toBe('1001');
    expect(() => readSignedHeaders(headers)).toThrow(message);
  });
});

describe('requireEnabledClient', () => {
  it('rejects unknown and disabled clients with 1002', () => {
    expect(codeOf(() => requireEnabledClient(null))).toBe('1002');
    expect(codeOf(() => requireEnabledClient({ ...client, enabled: false }))).toBe('1002');
    expect(requireEnabledClient(client)).toBe(client);
  });
});

describe('requireFreshTimestamp', () => {
  const headers = readSignedHeaders(headersSignedWith('current-key'));

  it('accepts a timestamp inside the window and rejects one outside with 1003', () => {
    expect(codeOf(() => requireFreshTimestamp(headers, new Date('2024-09-01T00:39:00Z')))).toBeUndefined();
    expect(codeOf(() => requireFreshTimestamp(headers, new Date('2024-09-01T00:41:00Z')))).toBe('1003');
  });
});

describe('requireValidSignature', () => {
  it('returns the key that matched, including a key in its grace period', () => {
    expect(requireValidSignature(client, readSignedHeaders(headersSignedWith('current-key')), body)).toBe('current-key');
    expect(requireValidSignature(client, readSignedHeaders(headersSignedWith('old-key')), body)).toBe('old-key');
  });

  it('rejects another key and a changed body with 1004', () => {
    const wrongKey = readSignedHeaders(headersSignedWith('someone-else'));
    expect(codeOf(() => requireValidSignature(client, wrongKey, body))).toBe('1004');
    const rightKey = readSignedHeaders(headersSignedWith('current-key'));
    expect(codeOf(() => requireValidSignature(client, rightKey, Buffer.concat([body, Buffer.from(' ')])))).toBe('1004');
  });

  it('rejects an MD5 signature for an HMAC client', () => {
    const hmacClient: VerificationClient = { ...client, scheme: 'HMAC_SHA256' };
    expect(codeOf(() => requireValidSignature(hmacClient, readSignedHeaders(headersSignedWith('current-key')), body))).toBe('1004');
  });
});

describe('signResponse', () => {
  it('signs the response body with our GMT+8 timestamp', () => {
    const responseBody = Buffer.from('{"resp_code":"0000","resp_msg":"success","resp_data":{}}');
    const headers = signResponse({ appKey: 'efutong', scheme: 'MD5', signKey: 'current-key' }, responseBody, new Date('2024-09-01T00:30:05Z'));
    expect(headers.timestamp).toBe('20240901083005');
    expect(headers['x-sign']).toBe(computeSignature('MD5', { body: responseBody, appKey: 'efutong', timestamp: '20240901083005', signKey: 'current-key' }));
  });
});

describe('idempotencyKey', () => {
  it('joins the app-key and the body digest', () => {
    expect(idempotencyKey('efutong', Buffer.from('abc'))).toBe('efutong:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
