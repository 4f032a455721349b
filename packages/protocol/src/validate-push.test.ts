import { describe, expect, it } from 'vitest';
import { PUSH_LIMITS } from './push-body.ts';
import { describeProblem, validatePush } from './validate-push.ts';

const valid = {
  xh: '2024001',
  ksh: '24110101150001',
  bg_sj: '20240901083000',
  sfzh: '110105200601011234',
  xm: '张三',
  bg_pch: 'P20240901-01',
  cz_lx: 'UPDATE',
  bg_mx_list: [{ bg_lx: 'KZ_BJ_ID', bgq_dm: 'C01', bgq_mc: '一班', bgh_dm: 'C02', bgh_mc: '二班' }],
};

function messageFor(body: unknown): string | undefined {
  const result = validatePush(body);
  return result.ok ? undefined : describeProblem(result.problem);
}

describe('validatePush', () => {
  it('accepts a complete push and keeps unknown fields', () => {
    const body = { ...valid, future_field: { nested: true }, bg_mx_list: [{ ...valid.bg_mx_list[0], extra: 'x' }] };
    const result = validatePush(body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.body).toBe(body);
  });

  it('accepts only the required fields', () => {
    expect(validatePush({ xh: '1', bg_sj: '20240901083000', cz_lx: 'ADD' }).ok).toBe(true);
  });

  it('accepts null for optional fields and unknown bg_lx values', () => {
    const body = { ...valid, ksh: null, bg_mx_list: [{ bg_lx: 'KZ_NEW_TYPE', bgq_dm: null, bgq_mc: null }] };
    expect(validatePush(body).ok).toBe(true);
  });

  it.each([
    ['a missing xh', { ...valid, xh: undefined }, 'xh 是必填字段'],
    ['an empty xh', { ...valid, xh: '' }, `xh 必须是 1-${PUSH_LIMITS.studentNoChars} 个字符的字符串`],
    ['a numeric xh', { ...valid, xh: 2024001 }, `xh 必须是 1-${PUSH_LIMITS.studentNoChars} 个字符的字符串`],
    ['a missing bg_sj', { ...valid, bg_sj: undefined }, 'bg_sj 是必填字段'],
    ['a 12-digit bg_sj', { ...valid, bg_sj: '202409010830' }, 'bg_sj 必须是 14 位数字 yyyyMMddHHmmss'],
    ['a bg_sj on February 30', { ...valid, bg_sj: '20240230083000' }, 'bg_sj 不是有效的日期时间 (yyyyMMddHHmmss, GMT+8)'],
    ['a lower-case cz_lx', { ...valid, cz_lx: 'add' }, 'cz_lx 必须是 ADD 或 UPDATE'],
    ['a missing cz_lx', { ...valid, cz_lx: undefined }, 'cz_lx 是必填字段'],
    ['a numeric sfzh', { ...valid, sfzh: 110105 }, `sfzh 必须是不超过 ${PUSH_LIMITS.idNumberChars} 个字符的字符串或 null`],
    ['a list that is an object', { ...valid, bg_mx_list: {} }, `bg_mx_list 必须是最多 ${PUSH_LIMITS.detailItems} 个对象的数组`],
    ['a detail that is a string', { ...valid, bg_mx_list: ['x'] }, 'bg_mx_list[0] 必须是 JSON 对象'],
    ['a detail without bg_lx', { ...valid, bg_mx_list: [valid.bg_mx_list[0], { bgh_dm: 'x' }] }, 'bg_mx_list[1].bg_lx 是必填字段'],
    ['a numeric detail code', { ...valid, bg_mx_list: [{ bg_lx: 'KZ_ZT', bgh_dm: 1 }] }, `bg_mx_list[0].bgh_dm 必须是不超过 ${PUSH_LIMITS.codeChars} 个字符的字符串或 null`],
    ['an array body', [valid], '请求体必须是 JSON 对象'],
    ['a null body', null, '请求体必须是 JSON 对象'],
  ])('rejects %s', (_case, body, message) => {
    expect(messageFor(body)).toBe(message);
  });

  it('names the field of a huge string', () => {
    expect(messageFor({ ...valid, xm: '张'.repeat(PUSH_LIMITS.nameChars + 1) })).toMatch(/^xm /);
  });

  it('names the list of too many details', () => {
    const list = Array.from({ length: PUSH_LIMITS.detailItems + 1 }, () => ({ bg_lx: 'KZ_ZT' }));
    expect(messageFor({ ...valid, bg_mx_list: list })).toMatch(/^bg_mx_list /);
  });

  it('reports the first failing field in schema order', () => {
    expect(messageFor({ ...valid, xh: undefined, cz_lx: 'X' })).toBe('xh 是必填字段');
  });
});

describe('validatePush after values', () => {
  const base = { xh: 'S1', bg_sj: '20240901080000', cz_lx: 'UPDATE' };

  it('rejects an applied change type without bgh_dm', () => {
    const result = validatePush({ ...base, bg_mx_list: [{ bg_lx: 'KZ_ZT', bgh_dm: '02' }, { bg_lx: 'KZ_BJ_ID' }] });
    expect(result).toEqual({ ok: false, problem: { field: 'bg_mx_list[1].bgh_dm', rule: '是必填字段: 变更类型 KZ_BJ_ID 必须给出变更后代码' } });
  });

  it('accepts clearing bgh_dm and unknown types', () => {
    const result = validatePush({ ...base, bg_mx_list: [{ bg_lx: 'KZ_YHKH', bgh_dm: '' }, { bg_lx: 'KZ_ZY' }] });
    expect(result.ok).toBe(true);
  });
});
