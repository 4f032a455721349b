import type { ArchivedPush, Transaction } from '../apply/types.ts';

export interface ArchiveRow {
  id: bigint;
  status: string;
}

/**
 * Inserts the archive rows that do not exist yet, then locks every row of the group until
 * commit. Returns the rows by idempotency key.
 */
export async function insertAndLockArchiveRows(tx: Transaction, pushes: ArchivedPush[]): Promise<Map<string, ArchiveRow>> {
  const keys = pushes.map((push) => push.idempotencyKey);
  await tx.$executeRaw`
    INSERT INTO push_archive (idempotency_key, app_key, request_id, received_at, batch_no, student_no, operation, changed_at, body_sealed, updated_at)
    SELECT v.*, now() FROM unnest(
      ${keys}::text[],
      ${pushes.map((push) => push.appKey)}::text[],
      ${pushes.map((push) => push.requestId)}::text[],
      ${pushes.map((push) => push.receivedAt.toISOString())}::timestamptz[],
      ${pushes.map((push) => push.batchNo)}::text[],
      ${pushes.map((push) => push.studentNo)}::text[],
      ${pushes.map((push) => push.operation)}::text[],
      ${pushes.map((push) => push.changedAt.toISOString())}::timestamptz[],
      ${pushes.map((push) => push.bodySealed)}::text[]
    ) AS v
    ON CONFLICT (idempotency_key) DO NOTHING`;

  const rows = await tx.$queryRaw<Array<{ id: bigint; idempotency_key: string; status: string }>>`
    SELECT id, idempotency_key, status::text AS status FROM push_archive
    WHERE idempotency_key = ANY(${keys}::text[]) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((row) => [row.idempotency_key, { id: BigInt(row.id), status: row.status }]));
}

/** Marks the applied pushes APPLIED with their attempt numbers, in one statement. */
export async function markArchiveRowsApplied(tx: Transaction, applied: Array<{ pushId: bigint; attempt: number }>): Promise<void> {
  if (applied.length === 0) return;
  await tx.$executeRaw`
    UPDATE push_archive AS p SET status = 'APPLIED', attempts = v.attempts, applied_at = now(), updated_at = now()
    FROM unnest(${applied.map((entry) => String(entry.pushId))}::bigint[], ${applied.map((entry) => entry.attempt)}::int4[]) AS v(id, attempts)
    WHERE p.id = v.id`;
}
