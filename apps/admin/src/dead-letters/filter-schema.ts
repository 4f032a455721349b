import { type Static, Type } from '@sinclair/typebox';
import type { DeadLetterFilter } from '@student-sync/queue/replay';

/** Most dead letters one listing or one replay request handles; a replay can be repeated for the rest. */
export const MAX_DEAD_LETTERS_PER_REQUEST = 10_000;

const filterFields = {
  /** bg_pch of the push. */
  batch: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  appKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  errorCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Dead-lettered at or after this ISO-8601 time. */
  from: Type.Optional(Type.String({ format: 'date-time' })),
  /** Dead-lettered before this ISO-8601 time. */
  to: Type.Optional(Type.String({ format: 'date-time' })),
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

/** Converts request fields to the replay package's filter. */
export function toDeadLetterFilter(fields: DeadLetterQuery & { ids?: string[] }): DeadLetterFilter {
  return {
    ...(fields.batch === undefined ? {} : { batchNo: fields.batch }),
    ...(fields.appKey === undefined ? {} : { appKey: fields.appKey }),
    ...(fields.errorCode === undefined ? {} : { errorCode: fields.errorCode }),
    ...(fields.from === undefined ? {} : { since: new Date(fields.from) }),
    ...(fields.to === undefined ? {} : { until: new Date(fields.to) }),
    ...(fields.ids === undefined ? {} : { ids: fields.ids }),
  };
}
