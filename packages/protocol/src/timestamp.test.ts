import { describe, expect, it } from 'vitest';
import { formatTimestamp, isWithinSkew, parseTimestamp } from './timestamp.ts';

describe('parseTimestamp', () => {
  it('reads the time as GMT+8', () => {
    expect(parseTimestamp('20180101121512')?.toISOString()).toBe('2018-01-01T04:15:12.000Z');
  });

  it('crosses the day boundary in UTC', () => {
    expect(parseTimestamp('20240301050000')?.toISOString()).toBe('2024-02-29T21:00:00.000Z');
  });

  it.each([
    ['13 digits', '2018010112151'],
    ['15 digits', '201801011215120'],
    ['letters', '2018010112151a'],
    ['month 13', '20181301121512'],
    ['February 30', '20180230121512'],
    ['February 29 of a common year', '20230229000000'],
    ['hour 24', '20180101241512'],
    ['minute 60', '20180101126012'],
    ['second 60', '20180101121560'],
    ['full-width digits', '２０１８０１０１１２１５１２'],
  ])('rejects %s', (_case, text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it('accepts February 29 of a leap year', () => {
    expect(parseTimestamp('20240229235959')).toBeInstanceOf(Date);
  });

  it('reads years below 100 as written', () => {
    expect(parseTimestamp('00010101080000')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });
});

describe('formatTimestamp', () => {
  it('writes the time as GMT+8', () => {
    expect(formatTimestamp(new Date('2018-01-01T04:35:14Z'))).toBe('20180101123514');
  });

  it('round-trips with parseTimestamp', () => {
    expect(formatTimestamp(parseTimestamp('20991231235959')!)).toBe('20991231235959');
  });
});

describe('isWithinSkew', () => {
  const now = new Date('2024-09-01T00:00:00Z');

  it('accepts exactly the window edge on both sides', () => {
    expect(isWithinSkew(new Date(now.getTime() - 600_000), now)).toBe(true);
    expect(isWithinSkew(new Date(now.getTime() + 600_000), now)).toBe(true);
  });

  it('rejects one second past the edge', () => {
    expect(isWithinSkew(new Date(now.getTime() - 601_000), now)).toBe(false);
    expect(isWithinSkew(new Date(now.getTime() + 601_000), now)).toBe(false);
  });

  it('uses the given window', () => {
    expect(isWithinSkew(new Date(now.getTime() - 2_000), now, 1_000)).toBe(false);
  });
});
