import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from './options.ts';

describe('parseBenchOptions', () => {
  it('rounds default and override', () => {
    expect(parseBenchOptions([]).rounds).toBe(3);
    expect(parseBenchOptions(['--smoke']).rounds).toBe(2);
    expect(parseBenchOptions(['--rounds', '5']).rounds).toBe(5);
    expect(parseBenchOptions(['--smoke', '--rounds', '1']).rounds).toBe(1);
  });

  it.each(['0', '11', '2.5', '1e1', 'three', '', '-1'])('rejects --rounds %j with the range', (value) => {
    // The `=` form, because parseArgs takes a separate value that starts with a dash for a missing one.
    expect(() => parseBenchOptions([`--rounds=${value}`])).toThrow(/^--rounds: ".*" is not a whole number from 1 to 10/);
  });

  it('checks the end-to-end student count', () => {
    expect(parseBenchOptions(['--e2e-students', '1000']).endToEndStudents).toBe(1000);
    expect(() => parseBenchOptions(['--e2e-students', '200001'])).toThrow(/^--e2e-students: "200001" is not a whole number from 1 to 200000/);
  });

  it('rejects an unknown worker target', () => {
    expect(() => parseBenchOptions(['--workers', 'noop,fast'])).toThrow(/--workers: unknown value fast; expected some of noop, single, batch/);
  });

  it('takes a subset of ingress targets and rejects an unknown one', () => {
    expect(parseBenchOptions([]).ingressTargets).toEqual(['bare', 'sign', 'enqueue', 'ingress']);
    expect(parseBenchOptions(['--ingress-targets', 'ingress,enqueue']).ingressTargets).toEqual(['ingress', 'enqueue']);
    expect(() => parseBenchOptions(['--ingress-targets', 'enqueue,fastest'])).toThrow(/--ingress-targets: unknown value fastest; expected some of bare, sign, enqueue, ingress/);
  });
});
