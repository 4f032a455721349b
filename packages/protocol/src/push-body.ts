import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * Body of API 4.4.3 (同步学生变更信息). Every schema carries `rule`, the Chinese text the
 * validator reports after the field path when the value breaks it. Unknown fields are
 * allowed and kept, because the platform adds fields between interface versions.
 *
 * Optional fields also accept null: senders commonly write null for an empty value,
 * and rejecting it would lose a push the platform will not resend.
 */

/** Caps that keep one push small; anything larger is a 2002 naming the field. */
export const PUSH_LIMITS = {
  studentNoChars: 64,
  examineeNoChars: 64,
  idNumberChars: 32,
  nameChars: 128,
  batchNoChars: 128,
  changeTypeChars: 64,
  codeChars: 256,
  labelChars: 512,
  detailItems: 100,
} as const;

function text(maxLength: number, minLength = 0) {
  const rule = minLength > 0 ? `必须是 ${minLength}-${maxLength} 个字符的字符串` : `必须是不超过 ${maxLength} 个字符的字符串`;
  return Type.String({ minLength, maxLength, rule });
}

function optionalText(maxLength: number) {
  return Type.Optional(Type.Union([text(maxLength), Type.Null()], { rule: `必须是不超过 ${maxLength} 个字符的字符串或 null` }));
}

export const ChangeDetail = Type.Object(
  {
    /** XH student number, KZ_BJ_ID class, KZ_YHKH bank card, KZ_ZT status; other values are kept as sent. */
    bg_lx: text(PUSH_LIMITS.changeTypeChars, 1),
    bgq_dm: optionalText(PUSH_LIMITS.codeChars),
    bgq_mc: optionalText(PUSH_LIMITS.labelChars),
    bgh_dm: optionalText(PUSH_LIMITS.codeChars),
    bgh_mc: optionalText(PUSH_LIMITS.labelChars),
  },
  { additionalProperties: true, rule: '必须是 JSON 对象' },
);
export type ChangeDetail = Static<typeof ChangeDetail>;

export const PushBody = Type.Object(
  {
    xh: text(PUSH_LIMITS.studentNoChars, 1),
    ksh: optionalText(PUSH_LIMITS.examineeNoChars),
    bg_sj: Type.String({ pattern: '^[0-9]{14}$', rule: '必须是 14 位数字 yyyyMMddHHmmss' }),
    sfzh: optionalText(PUSH_LIMITS.idNumberChars),
    xm: optionalText(PUSH_LIMITS.nameChars),
    bg_pch: optionalText(PUSH_LIMITS.batchNoChars),
    cz_lx: Type.Union([Type.Literal('ADD'), Type.Literal('UPDATE')], { rule: '必须是 ADD 或 UPDATE' }),
    bg_mx_list: Type.Optional(
      Type.Array(ChangeDetail, { maxItems: PUSH_LIMITS.detailItems, rule: `必须是最多 ${PUSH_LIMITS.detailItems} 个对象的数组` }),
    ),
  },
  { additionalProperties: true, rule: '必须是 JSON 对象' },
);
export type PushBody = Static<typeof PushBody>;

/** Reads the Chinese rule text attached to a schema. */
export function ruleOf(schema: TSchema): string {
  return (schema as { rule?: string }).rule ?? '格式不正确';
}
