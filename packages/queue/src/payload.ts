import { type Static, Type } from '@sinclair/typebox';

/**
 * Data of one push job. Personal data never enters Redis in plaintext: the raw request
 * body travels sealed (`bodySealed`) and the worker opens and re-validates it. The
 * plaintext fields here are the ones operators filter and search by.
 */
export const PushJobData = Type.Object({
  version: Type.Literal(1),
  /** `<app-key>:<sha256 hex of the raw body>`, also the job id. */
  idempotencyKey: Type.String({ minLength: 1 }),
  appKey: Type.String({ minLength: 1 }),
  requestId: Type.String(),
  /** ISO-8601 time the ingress received the push. */
  receivedAt: Type.String({ format: 'date-time' }),
  /** bg_pch, or null when the push carried none. */
  batchNo: Type.Union([Type.String(), Type.Null()]),
  /** xh as sent. */
  studentNo: Type.String({ minLength: 1 }),
  /** bg_sj as sent: yyyyMMddHHmmss in GMT+8. */
  changeTime: Type.String({ pattern: '^[0-9]{14}$' }),
  /** cz_lx as sent (ADD or UPDATE). */
  operation: Type.String(),
  /** The raw body exactly as received, sealed with the PII keyring. */
  bodySealed: Type.String({ minLength: 1 }),
});
export type PushJobData = Static<typeof PushJobData>;

/** Data of one dead-letter job: the original push plus why and how it failed. */
export const DeadLetterJobData = Type.Object({
  push: PushJobData,
  /** Id of the failed job in the main queue. */
  originalJobId: Type.String(),
  errorCode: Type.String(),
  errorMessage: Type.String(),
  attemptsMade: Type.Integer({ minimum: 0 }),
  /** Failure kind: attempts exhausted, a permanent error, or a stall. */
  reason: Type.Union([Type.Literal('exhausted'), Type.Literal('permanent'), Type.Literal('stalled')]),
  firstFailedAt: Type.String(),
  lastFailedAt: Type.String(),
});
export type DeadLetterJobData = Static<typeof DeadLetterJobData>;
