import { type Static, Type } from '@sinclair/typebox';
import { APPLY_ERROR_CODES, parseApplyErrorCode } from '@student-sync/domain/errors';
import { OPERATOR_TIME_FORMS, parseOperatorTime } from '@student-sync/protocol';
import type { DeadLetterFilter } from '@student-sync/queue/replay';
import { AdminHttpError } from '../http-error.ts';

/** Most dead letters one listing or one replay request handles; a replay can be repeated for the rest. */
export const MAX_DEAD_LETTERS_PER_REQUEST = 10_000;

const filterFields = {
  /** bg_pch of the push. */
  batch: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  appKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  errorCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Dead-lettered at or after this time: yyyyMMddHHmmss in GMT+8, or ISO 8601 with a zone. */
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  /** Dead-lettered before this time, in the same forms as `from`. */
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DEAD_LETTERS_PER_REQUEST })),
};

export const DeadLetterQuery = Type.Object(filterFields, { additionalProperties: false });
export type DeadLetterQuery = Static<typeof DeadLetterQuery>;

export const ReplayBody = Type.Object(
  {
    ...filterFields,
    /** Dead-letter job ids; with other filters, an id must match them too. */
    ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: MAX_DEAD_LETTERS_PER_REQUEST })),
    /** Lists what would be replayed and changes nothing. */
    dryRun: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type ReplayBody = Static<typeof ReplayBody>;

/**
 * Converts request fields to the replay package's filter. Text fields are trimmed, as stored
 * batch numbers are. A blank text field and an unreadable or inverted time range are a 400.
 */
export function toDeadLetterFilter(fields: DeadLetterQuery & { ids?: string[] }): DeadLetterFilter {
  const since = fields.from === undefined ? undefined : timeField('from', fields.from);
  const until = fields.to === undefined ? undefined : timeField('to', fields.to);
  if (since && until && since.getTime() >= until.getTime()) {
    throw new AdminHttpError(400, `from (${fields.from}) 必须早于 to (${fields.to}) (from must be before to)`);
  }
  return {
    ...(fields.batch === undefined ? {} : { batchNo: textField('batch', fields.batch) }),
    ...(fields.appKey === undefined ? {} : { appKey: textField('appKey', fields.appKey) }),
    ...(fields.errorCode === undefined ? {} : { errorCode: errorCodeField(fields.errorCode) }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(fields.ids === undefined ? {} : { ids: fields.ids.map((id) => textField('ids', id)) }),
  };
}

function errorCodeField(value: string): string {
  const code = parseApplyErrorCode(textField('errorCode', value));
  if (code) return code;
  throw new AdminHttpError(400, `errorCode "${value}" 不是已知的错误码, 可选: ${APPLY_ERROR_CODES.join(', ')} (not a known error code)`);
}

function textField(name: string, value: string): string {
  const text = value.trim();
  if (text !== '') return text;
  throw new AdminHttpError(400, `${name} 不能只包含空白字符, 不按这一项筛选时请去掉它 (must not be blank, leave it out to not filter by it)`);
}

function timeField(name: string, value: string): Date {
  const time = parseOperatorTime(value);
  if (time) return time;
  throw new AdminHttpError(400, `${name} "${value}" 格式无效: 用 ${OPERATOR_TIME_FORMS} (invalid time)`);
}
