import { describe, expect, it } from 'vitest';
import { changeVersion, isAtLeast, parseChangeTime } from './change-time.ts';

describe('parseChangeTime', () => {
  it('reads bg_sj as GMT+8', () => {
    expect(parseChangeTime('20240901083000')?.toISOString()).toBe('2024-09-01T00:30:00.000Z');
  });

  it('maps an early-morning GMT+8 time to the previous UTC day', () => {
    expect(parseChangeTime('20240101003000')?.toISOString()).toBe('2023-12-31T16:30:00.000Z');
  });

  it.each(['2024090108300', '202409010830001', '2024-09-01 0830', '20240230120000', '20240901246000', '20230229000000'])(
    'rejects %s',
    (text) => {
      expect(parseChangeTime(text)).toBeNull();
    },
  );

  it('accepts a leap day', () => {
    expect(parseChangeTime('20240229235959')?.toISOString()).toBe('2024-02-29T15:59:59.000Z');
  });
});

describe('changeVersion', () => {
  it('orders by change time before body hash', () => {
    const earlier = changeVersion('20240901083000', 'f'.repeat(64));
    const later = changeVersion('20240901083001', '0'.repeat(64));
    expect(later > earlier).toBe(true);
  });

  it('lets a version overwrite an equal or unset one', () => {
    const version = changeVersion('20240901083000', 'a'.repeat(64));
    expect(isAtLeast(version, null)).toBe(true);
    expect(isAtLeast(version, version)).toBe(true);
    expect(isAtLeast(changeVersion('20240901082959', 'a'.repeat(64)), version)).toBe(false);
  });
});
