import { describe, expect, it } from 'vitest';
import { ratiosByRound, spread } from './summary.ts';

describe('spread', () => {
  it('medians of odd and even counts', () => {
    expect(spread([0.9, 0.5, 0.7])).toEqual({ median: 0.7, min: 0.5, max: 0.9, values: [0.9, 0.5, 0.7] });
    expect(spread([4, 1, 3, 2])?.median).toBe(2.5);
  });

  it('skips values that are not finite', () => {
    expect(spread([Number.NaN, 2, Number.POSITIVE_INFINITY])).toEqual({ median: 2, min: 2, max: 2, values: [2] });
    expect(spread([])).toBeNull();
    expect(spread([Number.NaN])).toBeNull();
  });
});

describe('ratiosByRound', () => {
  const rows = [
    { target: 'enqueue', round: 1, rate: 100 },
    { target: 'ingress', round: 1, rate: 80 },
    { target: 'enqueue', round: 2, rate: 200 },
    { target: 'ingress', round: 2, rate: 100 },
    { target: 'ingress', round: 3, rate: 90 },
    { target: 'enqueue', round: 4, rate: 0 },
    { target: 'ingress', round: 4, rate: 50 },
  ];

  it('divides within the same round only', () => {
    // Round 3 has no reference and round 4 a reference of zero, so neither gives a ratio.
    expect(ratiosByRound(rows, 'ingress', 'enqueue', (row) => row.rate)).toEqual([0.8, 0.5]);
  });

  it('no ratio without a reference', () => {
    expect(ratiosByRound(rows, 'ingress', 'sign', (row) => row.rate)).toEqual([]);
  });
});
