import { describe, expect, it } from 'vitest';
import { decidePush } from './decide-push.ts';
import { ApplyError } from './errors.ts';
import { parsePush } from './parse-push.ts';
import { applyDecision, type StudentRecord } from './student-record.ts';
import { cardChange, classChange, numberChange, pushBody, type PushBodyFields, statusChange } from './testing/push-body.ts';

function push(fields: PushBodyFields) {
  return parsePush(pushBody(fields));
}

function applyAll(...bodies: PushBodyFields[]): StudentRecord {
  let record: StudentRecord | null = null;
  for (const fields of bodies) record = applyDecision(record, decidePush(push(fields), record));
  return record!;
}

const added: PushBodyFields = {
  xh: 'S1',
  bg_sj: '20240901080000',
  cz_lx: 'ADD',
  ksh: '24110101123456',
  xm: '张三',
  sfzh: '11010519491231002X',
  bg_mx_list: [classChange('C1'), statusChange('01', '在读')],
};

describe('decidePush', () => {
  it('ADD creates a student with every field', () => {
    const decision = decidePush(push(added), null);
    expect(decision.creates).toBe(true);
    expect(decision.studentNo).toBe('S1');
    expect(decision.patch).toEqual({
      studentNo: 'S1',
      classCode: 'C1',
      className: '班级C1',
      statusCode: '01',
      statusName: '在读',
      examineeNo: '24110101123456',
      examineeNoIrregular: false,
      name: '张三',
      idNumber: '11010519491231002X',
    });
    expect(decision.history.map((entry) => entry.outcome)).toEqual(['APPLIED', 'APPLIED']);
    expect(decision.changedAt.toISOString()).toBe('2024-09-01T00:00:00.000Z');
  });

  it('UPDATE of unknown student is retryable', () => {
    const error = captureError(() => decidePush(push({ xh: 'S9', bg_sj: '20240901080000' }), null));
    expect(error).toBeInstanceOf(ApplyError);
    expect(error.code).toBe('STUDENT_NOT_FOUND');
    expect(error.retryable).toBe(true);
  });

  it('ADD of an existing student updates it', () => {
    const record = applyAll(added, { ...added, bg_sj: '20240902080000', bg_mx_list: [classChange('C2')] });
    expect(record.classCode).toBe('C2');
    expect(record.statusCode).toBe('01');
  });

  it('older change arriving late is superseded', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240903080000', bg_mx_list: [classChange('C3')] });
    const late = decidePush(push({ xh: 'S1', bg_sj: '20240902080000', bg_mx_list: [classChange('C2'), statusChange('02', '休学')] }), record);
    expect(late.history.map((entry) => entry.outcome)).toEqual(['SUPERSEDED', 'APPLIED']);
    expect(applyDecision(record, late).classCode).toBe('C3');
    expect(applyDecision(record, late).statusCode).toBe('02');
  });

  it('unknown bg_lx is ignored and kept in history', () => {
    const record = applyAll(added);
    const decision = decidePush(push({ xh: 'S1', bg_sj: '20240902080000', bg_mx_list: [{ bg_lx: 'KZ_ZY', bgh_dm: 'M1' }] }), record);
    expect(decision.history).toEqual([
      { detailIndex: 0, changeType: 'KZ_ZY', beforeCode: null, beforeName: null, afterCode: 'M1', afterName: null, outcome: 'IGNORED' },
    ]);
    expect(decision.patch).toEqual({});
  });

  it('status code and name are kept as sent', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240902080000', bg_mx_list: [statusChange('99', '交换访学')] });
    expect([record.statusCode, record.statusName]).toEqual(['99', '交换访学']);
  });

  it('XH re-keys and keeps the old number as alias', () => {
    const record = applyAll(added);
    const decision = decidePush(push({ xh: 'S2', bg_sj: '20240902080000', bg_mx_list: [numberChange('S1', 'S2')] }), record);
    expect(decision.studentNo).toBe('S2');
    expect(decision.aliases).toEqual(['S1']);
    expect(decision.history[0]?.outcome).toBe('APPLIED');
  });

  it('superseded XH still records aliases', () => {
    const record = applyAll(added, { xh: 'S3', bg_sj: '20240903080000', bg_mx_list: [numberChange('S1', 'S3')] });
    const late = decidePush(push({ xh: 'S2', bg_sj: '20240902080000', bg_mx_list: [numberChange('S1', 'S2')] }), record);
    expect(late.studentNo).toBe('S3');
    expect(late.aliases).toEqual(['S1', 'S2']);
    expect(late.history[0]?.outcome).toBe('SUPERSEDED');
  });

  it('XH with empty bgh_dm takes the new number from xh', () => {
    const record = applyAll(added);
    const decision = decidePush(push({ xh: 'S2', bg_sj: '20240902080000', bg_mx_list: [{ bg_lx: 'XH', bgq_dm: 'S1', bgh_dm: '' }] }), record);
    expect(decision.studentNo).toBe('S2');
  });

  it('bank card masked in history', () => {
    const record = applyAll(added);
    const decision = decidePush(
      push({ xh: 'S1', bg_sj: '20240902080000', bg_mx_list: [{ ...cardChange('6222020200112233445', '6217000010001234567'), bgh_mc: '6217000010001234567' }] }),
      record,
    );
    expect(decision.patch.bankCard).toBe('6217000010001234567');
    const entry = decision.history[0]!;
    expect(entry.beforeCode).toBe('6222***********3445');
    expect(entry.afterCode).toBe('6217***********4567');
    expect(entry.afterName).toBe('6217***********4567');
    expect(JSON.stringify(decision.history)).not.toContain('6217000010001234567');
  });

  it('bank card name without a card number is kept', () => {
    const decision = decidePush(push({ xh: 'S1', bg_sj: '20240902080000', bg_mx_list: [{ ...cardChange('', '6217000010001234567'), bgh_mc: '中国建设银行' }] }), applyAll(added));
    expect(decision.history[0]?.afterName).toBe('中国建设银行');
  });

  it('flags irregular examinee number', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240902080000', ksh: 'K2024-001' });
    expect(record.examineeNo).toBe('K2024-001');
    expect(record.examineeNoIrregular).toBe(true);
  });

  it('empty ksh, xm, sfzh change nothing', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240902080000', ksh: '', xm: '', sfzh: '' });
    expect([record.examineeNo, record.name, record.idNumber]).toEqual(['24110101123456', '张三', '11010519491231002X']);
  });

  it('older body fields not applied', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240903080000', xm: '张叁' }, { xh: 'S1', bg_sj: '20240902080000', xm: '张三丰' });
    expect(record.name).toBe('张叁');
  });

  it('later detail in one push wins', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240902080000', bg_mx_list: [classChange('C2'), classChange('C3')] });
    expect(record.classCode).toBe('C3');
  });

  it('same push twice is idempotent', () => {
    const update: PushBodyFields = { xh: 'S2', bg_sj: '20240902080000', bg_mx_list: [numberChange('S1', 'S2'), classChange('C2')] };
    const once = applyAll(added, update);
    const twice = applyDecision(once, decidePush(push(update), once));
    expect(twice).toEqual(once);
  });

  it('keeps the newest change time', () => {
    const record = applyAll(added, { xh: 'S1', bg_sj: '20240903080000' }, { xh: 'S1', bg_sj: '20240902080000' });
    expect(record.lastChangedAt.toISOString()).toBe('2024-09-03T00:00:00.000Z');
  });
});

function captureError(action: () => unknown): ApplyError {
  try {
    action();
  } catch (error) {
    return error as ApplyError;
  }
  throw new Error('expected an error');
}
