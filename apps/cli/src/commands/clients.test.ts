import { describe, expect, it } from 'vitest';
import { formatClients } from './clients.ts';

describe('formatClients', () => {
  const client = {
    appKey: 'efutong-demo',
    name: '演示缴费平台',
    scheme: 'MD5' as const,
    enabled: true,
    keyRotatedAt: null,
    previousKeyExpiresAt: null,
    createdAt: new Date('2026-09-01T16:30:00Z'),
  };

  it('prints times in Beijing time', () => {
    const text = formatClients([{ ...client, keyRotatedAt: new Date('2026-09-02T01:00:05Z') }]);
    expect(text).toContain('2026-09-02 00:30:00');
    expect(text).toContain('2026-09-02 09:00:05');
    expect(text).not.toContain('T16:30');
    expect(text).toContain('创建时间 (北京时间)');
  });

  it('marks a key never rotated with a dash', () => {
    const [, row] = formatClients([client]).split('\n');
    expect(row).toContain(' - ');
  });
});
