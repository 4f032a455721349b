import { parsePush } from '@student-sync/domain';
import { RESPONSE_CODES } from '@student-sync/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MD5_CLIENT, pushBody, respCodeOf, responseSignedBy, signedRequest, startTestIngress, type TestIngress } from '../../apps/ingress/src/testing/harness.ts';
import { BAD_INPUT_CASES, BODY_LIMIT_BYTES } from './cases.ts';
import { countJobs, forceGc } from './inspect.ts';

/** resp_msg is the code's message plus a field and rule; it never echoes the sent value, so it stays short. */
const MAX_RESP_MSG_CHARS = 200;
/** Codes returned before the client is known, so no sign key exists to sign the response with. */
const UNSIGNED_CODES = new Set(['1001', '1002']);
/** Rounds over the whole corpus in the memory check: 8,600 requests and 325 MB of bodies. */
const MEMORY_ROUNDS = 100;
/** Heap growth allowed after those rounds and a forced GC; a leak of one body per request would exceed it many times over. */
const MAX_HEAP_GROWTH_BYTES = 32 * 1024 * 1024;

describe('bad-input corpus', () => {
  let ingress: TestIngress;

  beforeAll(async () => {
    ingress = await startTestIngress({ settings: { bodyLimitBytes: BODY_LIMIT_BYTES } });
  });

  afterAll(async () => {
    await ingress.close();
  });

  it.each(BAD_INPUT_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const response = await ingress.app.inject(testCase.request());
    const envelope = response.json() as { resp_code: string; resp_msg: string; resp_data: unknown };

    expect(envelope.resp_code, envelope.resp_msg).toBe(testCase.code);
    expect(response.statusCode).toBe(testCase.httpStatus ?? RESPONSE_CODES[testCase.code].httpStatus);
    expect(envelope.resp_data).toEqual({});
    expect(envelope.resp_msg.length).toBeLessThanOrEqual(MAX_RESP_MSG_CHARS);
    if (!UNSIGNED_CODES.has(testCase.code)) expect(responseSignedBy(response, 'MD5', MD5_CLIENT.signKeys[0]!)).toBe(true);
    expect(await countJobs(ingress.queue)).toBe(0);
  });

  it('accepts an upper-case and a mixed-case x-sign', async () => {
    for (const [index, recase] of [(sign: string) => sign.toUpperCase(), mixCase].entries()) {
      const request = signedRequest(JSON.stringify(pushBody({ xh: `case-${index}` })));
      const headers = request.headers as Record<string, string>;
      const response = await ingress.app.inject({ ...request, headers: { ...headers, 'x-sign': recase(headers['x-sign']!) } });
      expect(respCodeOf(response)).toBe('0000');
    }
    await ingress.queue.obliterate({ force: true });
  });

  it('accepts an unknown field nested 50,000 levels deep, and the worker parses it', async () => {
    const depth = 50_000;
    const body = JSON.stringify(pushBody({ xh: 'deep-extra-1' })).replace(/}$/, `,"kz_extra":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const response = await ingress.app.inject(signedRequest(body));
    expect(respCodeOf(response)).toBe('0000');
    expect(parsePush(body).studentNo).toBe('deep-extra-1');
    await ingress.queue.obliterate({ force: true });
  });

  it('keeps the heap bounded over 100 corpus rounds', { timeout: 120_000 }, async () => {
    const requests = BAD_INPUT_CASES.map((testCase) => testCase.request());
    await sendAll(requests);
    const before = forceGc();

    for (let round = 0; round < MEMORY_ROUNDS; round += 1) await sendAll(requests);
    const after = forceGc();

    expect(after.heapUsed - before.heapUsed, `heap ${before.heapUsed} -> ${after.heapUsed}, rss ${before.rss} -> ${after.rss}`).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    expect(await countJobs(ingress.queue)).toBe(0);
    expect((await ingress.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  async function sendAll(requests: ReturnType<(typeof BAD_INPUT_CASES)[number]['request']>[]): Promise<void> {
    for (const request of requests) {
      const response = await ingress.app.inject(request);
      if (response.statusCode === 200 || response.statusCode === 500) throw new Error(`unexpected HTTP ${response.statusCode}: ${response.body.slice(0, 200)}`);
    }
  }
});

function mixCase(sign: string): string {
  return [...sign].map((char, index) => (index % 2 === 0 ? char.toUpperCase() : char)).join('');
}
