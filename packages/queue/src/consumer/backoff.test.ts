import { describe, expect, it } from 'vitest';
import { createPushBackoffStrategy, PUSH_BACKOFF_TYPE, pushRetryOptions } from './backoff.ts';

describe('createPushBackoffStrategy', () => {
  it('doubles the delay per attempt between half and all of it', () => {
    const low = createPushBackoffStrategy({ baseMs: 1_000, maxMs: 1_000_000, random: () => 0 });
    const high = createPushBackoffStrategy({ baseMs: 1_000, maxMs: 1_000_000, random: () => 0.999999 });
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map(high)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never exceeds the maximum', () => {
    const strategy = createPushBackoffStrategy({ baseMs: 1_000, maxMs: 60_000, random: () => 0.999999 });
    expect(strategy(30)).toBe(60_000);
    expect(strategy(5_000)).toBe(60_000);
  });

  it('spreads retries of one attempt number', () => {
    const strategy = createPushBackoffStrategy({ baseMs: 1_000, maxMs: 60_000 });
    const delays = new Set(Array.from({ length: 50 }, () => strategy(3)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
});

describe('pushRetryOptions', () => {
  it('names the custom backoff type', () => {
    expect(pushRetryOptions(5, 250)).toEqual({ attempts: 5, backoff: { type: PUSH_BACKOFF_TYPE, delay: 250 } });
  });
});
