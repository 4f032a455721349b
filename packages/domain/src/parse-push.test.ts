import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApplyError } from './errors.ts';
import { parsePush } from './parse-push.ts';

const valid = { xh: '2024001', bg_sj: '20240901083000', cz_lx: 'UPDATE', bg_mx_list: [] };

function reasonFor(body: unknown): string {
  try {
    parsePush(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (error) {
    expect(error).toBeInstanceOf(ApplyError);
    expect((error as ApplyError).code).toBe('INVALID_PUSH');
    expect((error as ApplyError).retryable).toBe(false);
    return (error as Error).message;
  }
  throw new Error('expected parsePush to throw');
}

describe('parsePush', () => {
  it('reads every field and hashes the raw body', () => {
    const raw = JSON.stringify({
      ...valid,
      ksh: '24110101123456',
      xm: '张三',
      sfzh: '11010519491231002X',
      bg_pch: 'P1',
      bg_mx_list: [{ bg_lx: 'KZ_ZT', bgq_dm: '01', bgq_mc: '在读', bgh_dm: '02', bgh_mc: '休学' }],
      new_field_from_later_version: 1,
    });
    const push = parsePush(raw);
    expect(push.studentNo).toBe('2024001');
    expect(push.operation).toBe('UPDATE');
    expect(push.examineeNo).toBe('24110101123456');
    expect(push.name).toBe('张三');
    expect(push.idNumber).toBe('11010519491231002X');
    expect(push.batchNo).toBe('P1');
    expect(push.details).toEqual([{ changeType: 'KZ_ZT', beforeCode: '01', beforeName: '在读', afterCode: '02', afterName: '休学' }]);
    expect(push.bodySha256).toBe(createHash('sha256').update(raw).digest('hex'));
  });

  it('treats empty and null optional fields as absent', () => {
    const push = parsePush(JSON.stringify({ ...valid, ksh: '', xm: null, sfzh: '  ' }));
    expect(push.examineeNo).toBeNull();
    expect(push.name).toBeNull();
    expect(push.idNumber).toBeNull();
  });

  it('accepts a missing bg_mx_list', () => {
    expect(parsePush(JSON.stringify({ xh: '1', bg_sj: '20240901083000', cz_lx: 'ADD' })).details).toEqual([]);
  });

  it.each([
    ['not JSON', '{', 'JSON'],
    ['an array', [], '请求体'],
    ['no xh', { ...valid, xh: undefined }, 'xh'],
    ['blank xh', { ...valid, xh: ' ' }, 'xh'],
    ['numeric xh', { ...valid, xh: 2024001 }, 'xh'],
    ['short bg_sj', { ...valid, bg_sj: '2024090108' }, 'bg_sj'],
    ['impossible bg_sj', { ...valid, bg_sj: '20240931083000' }, 'bg_sj'],
    ['unknown cz_lx', { ...valid, cz_lx: 'DELETE' }, 'cz_lx'],
    ['bg_mx_list object', { ...valid, bg_mx_list: {} }, 'bg_mx_list'],
    ['detail not object', { ...valid, bg_mx_list: ['XH'] }, 'bg_mx_list[0]'],
    ['detail without bg_lx', { ...valid, bg_mx_list: [{ bgh_dm: '1' }] }, 'bg_mx_list[0].bg_lx'],
    ['numeric detail code', { ...valid, bg_mx_list: [{ bg_lx: 'KZ_ZT', bgh_dm: 2 }] }, 'bg_mx_list[0].bgh_dm'],
  ])('rejects %s', (_case, body, field) => {
    expect(reasonFor(body)).toContain(field);
  });
});
