import type { Keyring } from '@student-sync/privacy';
import { idempotencyKey, type PushBody } from '@student-sync/protocol';
import type { PushJobData } from './payload.ts';

export interface AcceptedPush {
  appKey: string;
  requestId: string;
  receivedAt: Date;
  /** The body exactly as received. */
  rawBody: Buffer;
  /** The same body, parsed and validated. */
  body: PushBody;
}

/**
 * Builds the job data of an accepted push. The raw body is sealed, so ID and bank card
 * numbers never reach Redis in plaintext; only the fields operators filter by stay readable.
 */
export function buildPushJobData(push: AcceptedPush, keyring: Keyring): PushJobData {
  return {
    version: 1,
    idempotencyKey: idempotencyKey(push.appKey, push.rawBody),
    appKey: push.appKey,
    requestId: push.requestId,
    receivedAt: push.receivedAt.toISOString(),
    // Trimmed as the worker reads them from the body, so archive rows, job names and look-ups agree.
    batchNo: push.body.bg_pch?.trim() || null,
    studentNo: push.body.xh.trim(),
    changeTime: push.body.bg_sj,
    operation: push.body.cz_lx,
    bodySealed: keyring.seal(push.rawBody),
  };
}
