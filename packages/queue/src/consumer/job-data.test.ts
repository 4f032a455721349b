import { describe, expect, it } from 'vitest';
import { InvalidJobDataError, readPushJobData } from './job-data.ts';

const valid = {
  version: 1,
  idempotencyKey: `efutong:${'a'.repeat(64)}`,
  appKey: 'efutong',
  requestId: 'req-1',
  receivedAt: '2024-09-01T00:30:00.000Z',
  batchNo: null,
  studentNo: '2024001',
  changeTime: '20240901083000',
  operation: 'UPDATE',
  bodySealed: 'v1.k1.iv.body',
};

describe('readPushJobData', () => {
  it('accepts valid data', () => {
    expect(readPushJobData(valid)).toBe(valid);
  });

  it.each([
    ['a missing field', { ...valid, bodySealed: undefined }, '/bodySealed'],
    ['an unknown version', { ...valid, version: 2 }, '/version'],
    ['a bad change time', { ...valid, changeTime: '2024-09-01' }, '/changeTime'],
    ['a bad receive time', { ...valid, receivedAt: 'yesterday' }, '/receivedAt'],
  ])('rejects %s', (_case, data, path) => {
    expect(() => readPushJobData(data)).toThrow(InvalidJobDataError);
    expect(() => readPushJobData(data)).toThrow(path);
  });
});
