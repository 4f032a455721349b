import { validatePush } from '@student-sync/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBody, respCodeOf, signedRequest, startTestIngress, type TestIngress } from '../../apps/ingress/src/testing/harness.ts';
import { BODY_LIMIT_BYTES } from './cases.ts';
import { countJobs } from './inspect.ts';

/** Runs per property; each run is one in-process request of at most a few kilobytes. */
const RUNS = 300;
const SEED = 20_240_901;

const HEADER_CODES = ['1001', '1002', '1003', '1004'];
const BODY_CODES = ['2001', '2002'];

const PUSH_FIELDS = ['xh', 'ksh', 'bg_sj', 'sfzh', 'xm', 'bg_pch', 'cz_lx', 'bg_mx_list'] as const;

describe('ingress under fuzzed input', () => {
  let ingress: TestIngress;

  beforeAll(async () => {
    ingress = await startTestIngress({ settings: { bodyLimitBytes: BODY_LIMIT_BYTES } });
  });

  afterAll(async () => {
    await ingress.close();
  });

  it('rejects random signing headers with a 1xxx code', async () => {
    const headerValue = fc.option(fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[0-9a-fA-F]{30,66}$/), fc.stringMatching(/^\d{8,16}$/)), { nil: undefined });
    const headers = fc.record({ 'app-key': fc.option(fc.constantFrom('efutong', 'retired', 'nobody'), { nil: undefined }), timestamp: headerValue, 'x-sign': headerValue });

    await fc.assert(
      fc.asyncProperty(headers, async (values) => {
        const request = signedRequest(JSON.stringify(pushBody()), { headers: printable(values) });
        const code = respCodeOf(await ingress.app.inject(request));
        expect(HEADER_CODES).toContain(code);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(await countJobs(ingress.queue)).toBe(0);
  });

  it('rejects random signed bytes with 2001 or 2002', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2_048 }), async (bytes) => {
        const code = respCodeOf(await ingress.app.inject(signedRequest(Buffer.from(bytes))));
        expect(BODY_CODES).toContain(code);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(await countJobs(ingress.queue)).toBe(0);
  });

  it('rejects random signed JSON with 2002', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 6 }), async (text) => {
        const code = respCodeOf(await ingress.app.inject(signedRequest(text)));
        expect(code).toBe('2002');
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(await countJobs(ingress.queue)).toBe(0);
  });

  it('answers a push with one field replaced as its validation decides', async () => {
    let accepted = 0;
    const mutation = fc.record({ field: fc.constantFrom(...PUSH_FIELDS), value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)), index: fc.nat() });

    await fc.assert(
      fc.asyncProperty(mutation, async ({ field, value, index }) => {
        const body = pushBody({ xh: `fuzz-${index}`, [field]: value });
        const expected = validatePush(body).ok ? '0000' : '2002';
        const code = respCodeOf(await ingress.app.inject(signedRequest(JSON.stringify(body))));
        expect(code, JSON.stringify(body).slice(0, 200)).toBe(expected);
        if (code === '0000') accepted += 1;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // Each accepted push is one job; a rejected one adds none. Equal bodies share a job id.
    expect(await countJobs(ingress.queue)).toBeLessThanOrEqual(accepted);
  });
});

/** Drops header values Node's HTTP layer refuses to send (control characters, non-Latin-1), which never reach the app. */
function printable(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value !== undefined && /^[\x20-\x7e]*$/.test(value) ? value : undefined]));
}
