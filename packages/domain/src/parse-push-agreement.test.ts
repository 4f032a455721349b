import { parsePushBody, ProtocolError } from '@student-sync/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidePush } from './decide-push.ts';
import { ApplyError } from './errors.ts';
import { parsePush } from './parse-push.ts';

// The platform never resends a push that got 0000 from the ingress, so the worker must
// parse and decide every body the ingress accepts. These tests compare the two parsers.

const BASE = { xh: '202509011001', bg_sj: '20250820090000', cz_lx: 'ADD', bg_pch: 'P1', bg_mx_list: [{ bg_lx: 'KZ_ZT', bgh_dm: '01', bgh_mc: '在读' }] };

type Outcome = { accepted: true } | { accepted: false; message: string };

function ingressOutcome(raw: Buffer): Outcome {
  try {
    parsePushBody(raw);
    return { accepted: true };
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return { accepted: false, message: (error as Error).message };
  }
}

/**
 * Parses the body as the worker does after opening a job, and decides it for a new student.
 * Only INVALID_PUSH counts as rejected, because other errors depend on the stored students.
 */
function workerOutcome(raw: Buffer): Outcome {
  try {
    decidePush(parsePush(raw.toString('utf8')), null);
    return { accepted: true };
  } catch (error) {
    expect(error).toBeInstanceOf(ApplyError);
    if ((error as ApplyError).code !== 'INVALID_PUSH') return { accepted: true };
    return { accepted: false, message: (error as Error).message };
  }
}

describe('ingress and worker parsing', () => {
  it.each([
    ['byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(BASE))])],
    ['bg_sj in year 50', Buffer.from(JSON.stringify({ ...BASE, bg_sj: '00500101000000' }))],
    ['bg_sj in year 0', Buffer.from(JSON.stringify({ ...BASE, bg_sj: '00000229120000' }))],
    ['xh with surrounding spaces', Buffer.from(JSON.stringify({ ...BASE, xh: ' 202509011001 ' }))],
  ])('worker applies accepted body: %s', (_name, raw) => {
    expect(ingressOutcome(raw)).toEqual({ accepted: true });
    expect(workerOutcome(raw)).toEqual({ accepted: true });
  });

  it.each([' ', '\t', '\u00a0', '\u3000'])('both reject xh of white space %j', (xh) => {
    const raw = Buffer.from(JSON.stringify({ ...BASE, xh }));
    const ingress = ingressOutcome(raw);
    expect(ingress.accepted).toBe(false);
    expect(ingress.accepted ? '' : ingress.message).toContain('xh 不能只包含空白字符');
    expect(workerOutcome(raw).accepted).toBe(false);
  });

  it('worker accepts every body the ingress accepts', () => {
    const field = fc.constantFrom('xh', 'ksh', 'bg_sj', 'sfzh', 'xm', 'bg_pch', 'cz_lx');
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^\d{14}$/), fc.constantFrom(' ', '\u3000x\u3000', ''));
    const prefix = fc.constantFrom('', '\uFEFF', ' ', '\n');

    fc.assert(
      fc.property(field, value, prefix, (name, text, lead) => {
        const raw = Buffer.from(lead + JSON.stringify({ ...BASE, [name]: text }));
        if (ingressOutcome(raw).accepted) expect(workerOutcome(raw)).toEqual({ accepted: true });
      }),
      { numRuns: 2_000, seed: 20_251_205 },
    );
  });
});
