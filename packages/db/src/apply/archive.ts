import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ArchivedPush, FailedAttempt, Transaction } from './types.ts';

export interface LockedArchiveRow {
  id: bigint;
  status: string;
}

function archiveRow(push: ArchivedPush) {
  return {
    idempotencyKey: push.idempotencyKey,
    appKey: push.appKey,
    requestId: push.requestId,
    receivedAt: push.receivedAt,
    batchNo: push.batchNo,
    studentNo: push.studentNo,
    operation: push.operation,
    changedAt: push.changedAt,
    bodySealed: push.bodySealed,
  };
}

/** Inserts the archive row unless it exists, then locks it for the rest of the transaction. */
export async function lockArchiveRow(tx: Transaction, push: ArchivedPush): Promise<LockedArchiveRow> {
  await tx.pushArchive.createMany({ data: [archiveRow(push)], skipDuplicates: true });
  const rows = await tx.$queryRaw<LockedArchiveRow[]>`
    SELECT id, status::text AS status FROM push_archive WHERE idempotency_key = ${push.idempotencyKey} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new Error(`push_archive row ${push.idempotencyKey} vanished after insert`);
  return { id: BigInt(row.id), status: row.status };
}

export async function markArchiveApplied(tx: Transaction, pushId: bigint, attempts: number): Promise<void> {
  await tx.pushArchive.update({ where: { id: pushId }, data: { status: 'APPLIED', attempts, appliedAt: new Date() } });
}

/**
 * Records a failed attempt outside the rolled-back apply transaction, so a push is archived
 * (sealed body included) even when it never applies. A push already APPLIED keeps its
 * status: a late failure report, for example from a duplicate delivery, must not hide it.
 */
export async function recordFailedAttempt(prisma: PrismaClient, push: ArchivedPush, failure: FailedAttempt): Promise<void> {
  const outcome = {
    status: failure.status,
    attempts: failure.attempts,
    lastErrorCode: failure.errorCode,
    lastErrorMessage: failure.errorMessage,
  };
  await prisma.pushArchive.createMany({ data: [{ ...archiveRow(push), ...outcome }], skipDuplicates: true });
  await prisma.pushArchive.updateMany({
    where: { idempotencyKey: push.idempotencyKey, status: { not: 'APPLIED' } },
    data: outcome,
  });
}
