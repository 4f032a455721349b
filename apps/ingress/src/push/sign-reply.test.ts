import { computeSignature, type ResponseSigner } from '@student-sync/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { signReply } from './sign-reply.ts';

const FIRST: ResponseSigner = { appKey: 'efutong', scheme: 'MD5', signKey: 'key-one' };
const SECOND: ResponseSigner = { appKey: 'campus2', scheme: 'HMAC_SHA256', signKey: 'key-two' };
const OK = '{"resp_code":"0000","resp_msg":"success","resp_data":{}}';

/** Runs the hook once and returns the headers it set. */
function sign(hook: ReturnType<typeof signReply>, signer: ResponseSigner | undefined, payload: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  const request = { pushState: signer ? { signer } : null } as unknown as FastifyRequest;
  const reply = { headers: (values: Record<string, string>) => Object.assign(headers, values) } as unknown as FastifyReply;
  let passed: unknown;
  hook(request, reply, payload, (_error, value) => (passed = value));
  expect(passed).toBe(payload);
  return headers;
}

function verifies(headers: Record<string, string>, signer: ResponseSigner, payload: string): boolean {
  const expected = computeSignature(signer.scheme, { body: Buffer.from(payload, 'utf8'), appKey: headers['app-key']!, timestamp: headers.timestamp!, signKey: signer.signKey });
  return headers['x-sign'] === expected;
}

describe('signReply', () => {
  it('reuses a signature within its second only', () => {
    let now = new Date('2026-09-01T00:30:00.100Z');
    const hook = signReply(() => now);
    const first = sign(hook, FIRST, OK);
    now = new Date('2026-09-01T00:30:00.900Z');
    const again = sign(hook, FIRST, OK);
    now = new Date('2026-09-01T00:30:01.000Z');
    const next = sign(hook, FIRST, OK);

    expect(first.timestamp).toBe('20260901083000');
    expect(again).toEqual(first);
    expect(next.timestamp).toBe('20260901083001');
    expect(verifies(first, FIRST, OK)).toBe(true);
    expect(verifies(next, FIRST, OK)).toBe(true);
  });

  it('signs another body or signer anew', () => {
    const hook = signReply(() => new Date('2026-09-01T00:30:00Z'));
    const rejected = '{"resp_code":"2002","resp_msg":"xh 是必填字段","resp_data":{}}';
    const okFirst = sign(hook, FIRST, OK);
    const rejectedFirst = sign(hook, FIRST, rejected);
    const okSecond = sign(hook, SECOND, OK);

    expect(verifies(okFirst, FIRST, OK)).toBe(true);
    expect(verifies(rejectedFirst, FIRST, rejected)).toBe(true);
    expect(verifies(okSecond, SECOND, OK)).toBe(true);
    expect(okSecond['app-key']).toBe('campus2');
    expect(verifies(sign(hook, FIRST, OK), FIRST, OK)).toBe(true);
  });

  it('signs a Buffer body and leaves unsigned requests alone', () => {
    const hook = signReply(() => new Date('2026-09-01T00:30:00Z'));
    expect(verifies(sign(hook, FIRST, Buffer.from(OK)), FIRST, OK)).toBe(true);
    expect(sign(hook, undefined, OK)).toEqual({});
  });
});
