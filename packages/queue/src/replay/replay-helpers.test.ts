import { randomBytes } from 'node:crypto';
import { Keyring } from '@student-sync/privacy';
import { describe, expect, it } from 'vitest';
import type { DeadLetterJobData } from '../payload.ts';
import { matchesFilter } from './filter.ts';
import { redriveJobId, replayJobId } from './job-ids.ts';
import { type ArchivedPushRecord, pushJobDataFromArchive } from './redrive.ts';

const DIGEST = 'a'.repeat(64);

describe('replayJobId', () => {
  it('counts replay rounds', () => {
    expect(replayJobId(`efutong.${DIGEST}`)).toBe(`efutong.${DIGEST}.r1`);
    expect(replayJobId(`efutong.${DIGEST}.r1`)).toBe(`efutong.${DIGEST}.r2`);
    expect(replayJobId(`efutong.${DIGEST}.r9`)).toBe(`efutong.${DIGEST}.r10`);
  });

  it('keeps a re-drive run in the id', () => {
    const redriven = redriveJobId(`efutong:${DIGEST}`, 'abc');
    expect(redriven).toBe(`efutong.${DIGEST}.redrive-abc`);
    expect(replayJobId(redriven)).toBe(`${redriven}.r1`);
  });
});

describe('matchesFilter', () => {
  const letter = {
    push: { batchNo: 'P1', appKey: 'efutong' },
    errorCode: 'DATABASE_ERROR',
    lastFailedAt: '2024-09-01T00:00:00.000Z',
  } as DeadLetterJobData;

  it.each([
    ['an empty filter', {}, true],
    ['its batch', { batchNo: 'P1' }, true],
    ['another batch', { batchNo: 'P2' }, false],
    ['another app-key', { appKey: 'other' }, false],
    ['another error code', { errorCode: 'STUDENT_NOT_FOUND' }, false],
    ['since its failure time', { since: new Date('2024-09-01T00:00:00.000Z') }, true],
    ['since a later time', { since: new Date('2024-09-01T00:00:00.001Z') }, false],
    ['until its failure time', { until: new Date('2024-09-01T00:00:00.000Z') }, false],
    ['until a later time', { until: new Date('2024-09-01T00:00:01.000Z') }, true],
  ])('with %s returns %s', (_case, filter, expected) => {
    expect(matchesFilter(letter, filter)).toBe(expected);
  });
});

describe('pushJobDataFromArchive', () => {
  const keyring = Keyring.parse(`k1:${randomBytes(32).toString('base64')}`);
  const record = (body: string): ArchivedPushRecord => ({
    idempotencyKey: `efutong:${DIGEST}`,
    appKey: 'efutong',
    requestId: null,
    receivedAt: new Date('2024-09-01T00:30:00.000Z'),
    batchNo: 'P1',
    studentNo: '2024001',
    operation: 'UPDATE',
    changedAt: new Date('2024-08-31T16:05:00.000Z'),
    bodySealed: keyring.seal(body),
  });

  it('takes bg_sj from the sealed body', () => {
    const data = pushJobDataFromArchive(record('{"xh":"2024001","bg_sj":"20240901000500"}'), keyring);
    expect(data).toMatchObject({ changeTime: '20240901000500', requestId: '', receivedAt: '2024-09-01T00:30:00.000Z', batchNo: 'P1' });
  });

  it('falls back to the archived change time in GMT+8', () => {
    expect(pushJobDataFromArchive(record('{"xh":"2024001","bg_sj":"yesterday"}'), keyring).changeTime).toBe('20240901000500');
    expect(pushJobDataFromArchive(record('not json'), keyring).changeTime).toBe('20240901000500');
  });
});
