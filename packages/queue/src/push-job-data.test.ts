import { randomBytes } from 'node:crypto';
import { Keyring } from '@student-sync/privacy';
import { parsePushBody } from '@student-sync/protocol';
import { describe, expect, it } from 'vitest';
import { buildPushJobData } from './push-job-data.ts';

const keyring = Keyring.parse(`k1:${randomBytes(32).toString('base64')}`);
const rawBody = Buffer.from(
  '{"xh":"2024001","sfzh":"110105200601011234","bg_sj":"20240901083000","cz_lx":"UPDATE","bg_pch":"",' +
    '"bg_mx_list":[{"bg_lx":"KZ_YHKH","bgq_dm":"6222020200112233445","bgh_dm":"6222020200998877665"}]}',
);

describe('buildPushJobData', () => {
  const data = buildPushJobData(
    { appKey: 'efutong', requestId: 'r1', receivedAt: new Date('2024-09-01T00:30:00Z'), rawBody, body: parsePushBody(rawBody) },
    keyring,
  );

  it('keeps no ID or bank card number in plaintext', () => {
    const text = JSON.stringify(data);
    expect(text).not.toContain('110105200601011234');
    expect(text).not.toContain('6222020200112233445');
    expect(text).not.toContain('6222020200998877665');
  });

  it('seals the exact raw bytes', () => {
    expect(keyring.openBuffer(data.bodySealed).equals(rawBody)).toBe(true);
  });

  it('copies the filter fields and treats an empty batch number as none', () => {
    expect(data).toMatchObject({ studentNo: '2024001', changeTime: '20240901083000', operation: 'UPDATE', batchNo: null });
    expect(data.idempotencyKey).toMatch(/^efutong:[0-9a-f]{64}$/);
  });

  it('trims the student and batch numbers', () => {
    const padded = Buffer.from('{"xh":" 2024001 ","bg_sj":"20240901083000","cz_lx":"UPDATE","bg_pch":"  BG1\\t"}');
    const trimmed = buildPushJobData({ appKey: 'efutong', requestId: '', receivedAt: new Date(), rawBody: padded, body: parsePushBody(padded) }, keyring);
    expect([trimmed.studentNo, trimmed.batchNo]).toEqual(['2024001', 'BG1']);
  });

  it('treats a batch number of spaces as none', () => {
    const blank = Buffer.from('{"xh":"2024001","bg_sj":"20240901083000","cz_lx":"UPDATE","bg_pch":"   "}');
    expect(buildPushJobData({ appKey: 'efutong', requestId: '', receivedAt: new Date(), rawBody: blank, body: parsePushBody(blank) }, keyring).batchNo).toBeNull();
  });
});
