import { describe, expect, it } from 'vitest';
import { isLuhnValid, isValidIdNumber } from './check-digits.ts';
import { DEFAULT_DELIVERY_OPTIONS, planDeliveries } from './deliveries.ts';
import { generateChangeStream } from './stream.ts';

const options = { seed: 'unit', studentCount: 400, year: 2025 };

interface Body {
  xh: string;
  ksh: string;
  sfzh: string;
  xm: string;
  bg_sj: string;
  bg_pch: string;
  cz_lx: string;
  bg_mx_list: Array<{ bg_lx: string; bgq_dm: string; bgh_dm: string; bgh_mc: string }>;
}

const parse = (body: string) => JSON.parse(body) as Body;

describe('generateChangeStream', () => {
  it('is byte-identical for the same seed', () => {
    const first = generateChangeStream(options).pushes.map((p) => p.body);
    const second = generateChangeStream(options).pushes.map((p) => p.body);
    expect(second).toEqual(first);
  });

  it('differs for another seed', () => {
    const first = generateChangeStream(options).pushes.map((p) => p.body);
    const other = generateChangeStream({ ...options, seed: 'other' }).pushes.map((p) => p.body);
    expect(other).not.toEqual(first);
  });

  it('generates valid ID, examinee and bank card numbers', () => {
    const bodies = generateChangeStream(options).pushes.map((p) => parse(p.body));
    for (const body of bodies) {
      expect(isValidIdNumber(body.sfzh), body.sfzh).toBe(true);
      expect(body.ksh).toMatch(/^\d{14}$/);
      expect(body.xm).toMatch(/^\p{Script=Han}{2,4}$/u);
      for (const detail of body.bg_mx_list.filter((d) => d.bg_lx === 'KZ_YHKH')) {
        expect(isLuhnValid(detail.bgh_dm), detail.bgh_dm).toBe(true);
      }
    }
  });

  it('starts with one ADD per student and keeps bg_sj order', () => {
    const stream = generateChangeStream(options);
    const adds = stream.pushes.filter((p) => p.operation === 'ADD');
    expect(adds).toHaveLength(options.studentCount);
    expect(new Set(adds.map((p) => p.studentKey)).size).toBe(options.studentCount);
    expect(stream.pushes.slice(0, options.studentCount).every((p) => p.operation === 'ADD')).toBe(true);

    const times = stream.pushes.map((p) => p.changeTime);
    expect([...times].sort()).toEqual(times);
  });

  it('covers every kind of change', () => {
    const types = new Set(generateChangeStream(options).pushes.flatMap((p) => parse(p.body).bg_mx_list.map((d) => d.bg_lx)));
    expect([...types].sort()).toEqual(['KZ_BJ_ID', 'KZ_YHKH', 'KZ_ZT', 'XH']);
  });

  it('groups pushes into batches of at most 500', () => {
    const sizes = new Map<string, number>();
    for (const push of generateChangeStream(options).pushes) {
      const batchNo = parse(push.body).bg_pch;
      sizes.set(batchNo, (sizes.get(batchNo) ?? 0) + 1);
    }
    expect(sizes.size).toBeGreaterThan(5);
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(500);
  });
});

describe('planDeliveries', () => {
  const stream = generateChangeStream(options);
  const deliveries = planDeliveries(stream.pushes, { seed: 'unit', ...DEFAULT_DELIVERY_OPTIONS, resendRatio: 0.05, delayRatio: 0.1 });

  it('delivers every push, some twice', () => {
    expect(new Set(deliveries.map((p) => p.body)).size).toBe(stream.pushes.length);
    expect(deliveries.length).toBeGreaterThan(stream.pushes.length);
  });

  it('delivers some pushes after newer ones', () => {
    const late = deliveries.filter((push, index) => index > 0 && push.changeTime < deliveries[index - 1]!.changeTime);
    expect(late.length).toBeGreaterThan(0);
  });

  it('keeps each push after its ADD and re-key', () => {
    const seen = new Set<string>();
    for (const push of deliveries) {
      const body = parse(push.body);
      const xh = body.bg_mx_list.find((d) => d.bg_lx === 'XH');
      if (body.cz_lx === 'UPDATE') expect(seen.has(body.xh) || (xh !== undefined && seen.has(xh.bgq_dm)), body.xh).toBe(true);
      seen.add(body.xh);
    }
  });
});
