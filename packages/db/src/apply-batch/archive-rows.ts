import type { ArchivedPush } from '../apply/types.ts';
import type { SqlClient } from './sql-transaction.ts';

/** An archive row that existed before the group, locked until commit. */
export interface ArchiveRow {
  id: bigint;
  status: string;
}

/** A push whose archive row the group inserts, with the status the group gave it. */
export interface NewArchiveRow {
  push: ArchivedPush;
  /** APPLIED with its attempt number, or RECEIVED for a push that failed a rule. */
  status: 'APPLIED' | 'RECEIVED';
  attempts: number;
}

/**
 * Locks the archive rows that exist for `keys`, in id order, until commit. Returns them by
 * idempotency key. Most pushes of a group have none yet.
 */
export async function lockExistingArchiveRows(client: SqlClient, keys: string[]): Promise<Map<string, ArchiveRow>> {
  // Unnamed, so it is planned for its own array (see loadAndLockStudents).
  const { rows } = await client.query<{ id: string; idempotency_key: string; status: string }>({
    text: `SELECT id, idempotency_key, status::text AS status FROM push_archive
     WHERE idempotency_key = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    values: [keys],
  });
  return new Map(rows.map((row) => [row.idempotency_key, { id: BigInt(row.id), status: row.status }]));
}

/**
 * Inserts the archive rows of pushes that had none, already in their final status, and
 * returns their ids by idempotency key. Each row is written once, so PostgreSQL does not
 * update a row it has just inserted.
 *
 * Throws when another transaction inserted one of the rows meanwhile: only a failure report
 * (`recordFailedAttempt`) does that without the number locks, and the caller then applies
 * the group push by push.
 */
export async function insertArchiveRows(client: SqlClient, rows: NewArchiveRow[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const records = rows.map(archiveRecord);
  const result = await client.query<{ id: string; idempotency_key: string }>({
    name: 'apply-batch: insert archive rows',
    text: `INSERT INTO push_archive (idempotency_key, app_key, request_id, received_at, batch_no, student_no, operation, changed_at, body_sealed,
       status, attempts, applied_at, updated_at)
     SELECT v."idempotencyKey", v."appKey", v."requestId", v."receivedAt", v."batchNo", v."studentNo", v.operation, v."changedAt", v."bodySealed",
       v.status::"PushStatus", v.attempts, CASE WHEN v.status = 'APPLIED' THEN now() END, now()
     FROM json_to_recordset($1::json) AS v("idempotencyKey" text, "appKey" text, "requestId" text, "receivedAt" timestamptz, "batchNo" text,
       "studentNo" text, operation text, "changedAt" timestamptz, "bodySealed" text, status text, attempts int4)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id, idempotency_key`,
    values: [JSON.stringify(records)],
  });
  if (result.rows.length !== rows.length) {
    throw new Error(`${rows.length - result.rows.length} push_archive rows of the group were inserted by another transaction`);
  }
  return new Map(result.rows.map((row) => [row.idempotency_key, row.id]));
}

/** Returns the columns of the insert, with times as ISO text, which JSON.stringify writes faster than a Date. */
function archiveRecord({ push, status, attempts }: NewArchiveRow) {
  return {
    idempotencyKey: push.idempotencyKey,
    appKey: push.appKey,
    requestId: push.requestId,
    receivedAt: push.receivedAt.toISOString(),
    batchNo: push.batchNo,
    studentNo: push.studentNo,
    operation: push.operation,
    changedAt: push.changedAt.toISOString(),
    bodySealed: push.bodySealed,
    status,
    attempts,
  };
}

/** Marks pushes whose rows existed before the group APPLIED, with their attempt numbers. */
export async function markArchiveRowsApplied(client: SqlClient, applied: Array<{ pushId: bigint; attempt: number }>): Promise<void> {
  if (applied.length === 0) return;
  await client.query({
    name: 'apply-batch: mark archive rows applied',
    text: `UPDATE push_archive AS p SET status = 'APPLIED', attempts = v.attempts, applied_at = now(), updated_at = now()
     FROM unnest($1::bigint[], $2::int4[]) AS v(id, attempts)
     WHERE p.id = v.id`,
    values: [applied.map((entry) => String(entry.pushId)), applied.map((entry) => entry.attempt)],
  });
}
