import { describe, expect, it } from 'vitest';
import type { PushOutcome } from './send-all.ts';
import { formatSummary, summarize } from './summary.ts';

function accepted(index: number): PushOutcome {
  return { index, attempts: 1, result: { kind: 'response', httpStatus: 200, respCode: '0000', respMsg: 'success', signatureValid: true } };
}

describe('formatSummary', () => {
  it('counts pushes when every body differs', () => {
    const text = formatSummary(summarize([accepted(0), accepted(1)], 1000));
    expect(text).toContain('共 2 条推送, 已接受 2 条');
    expect(text).toContain('(2 bodies, 2 accepted');
  });

  it('uses the singular for one body', () => {
    const text = formatSummary(summarize([accepted(0)], 1000));
    expect(text).toContain('(1 body, 1 accepted');
  });

  it('names repeated bodies apart from pushes', () => {
    const summary = summarize([accepted(0), accepted(1), accepted(2)], 1000, 2);
    expect(summary.distinct).toBe(2);
    const text = formatSummary(summary);
    expect(text).toContain('共 3 条请求体 (2 条不同推送, 另有 1 条原样重复), 已接受 3 条');
    expect(text).toContain('(3 bodies of 2 pushes, 3 accepted');
  });

  it('does not count unsigned rejections as bad signatures', () => {
    const unsigned = (index: number, respCode: string, httpStatus: number): PushOutcome => ({
      index,
      attempts: 1,
      result: { kind: 'response', httpStatus, respCode, respMsg: '', signatureValid: false },
    });
    const summary = summarize([unsigned(0, '1002', 401), unsigned(1, '1001', 400), unsigned(2, 'NO_ENVELOPE', 404), unsigned(3, '1004', 401)], 1000);
    expect(summary.invalidSignatures).toBe(1);
  });
});
