import { countChanges, decidePush, involvedNumbers, lookupNumbers, type Push } from '@student-sync/domain';
import { lockArchiveRow, markArchiveApplied } from './archive.ts';
import { findAndLockStudent } from './find-student.ts';
import { lockStudentNumbers } from './number-locks.ts';
import { versionsOf } from './student-columns.ts';
import type { ApplyDependencies, ApplyResult, ArchivedPush } from './types.ts';
import { writeHistory, writeStudent } from './write-student.ts';

const DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_WAIT_MS = 10_000;

/**
 * Applies one push in one transaction. It locks the student numbers the push involves,
 * inserts and locks its archive row, and stops there when the push is already APPLIED.
 * Otherwise it locks the student, writes the fields the rules choose and one history row
 * per detail, and marks the archive APPLIED.
 *
 * Throws ApplyError for rule failures. The caller then records the failed attempt with
 * `recordFailedAttempt`, because this transaction's writes are rolled back.
 *
 * @param attempt the attempt number, starting at 1, stored on the archive row.
 */
export async function applyPush(deps: ApplyDependencies, archived: ArchivedPush, push: Push, attempt: number): Promise<ApplyResult> {
  return deps.prisma.$transaction(
    async (tx) => {
      // Order matters: number locks first, then rows. Every applier takes row locks only
      // after all its advisory locks, so lock waits cannot form a cycle.
      await lockStudentNumbers(tx, involvedNumbers(push));
      const archive = await lockArchiveRow(tx, archived);
      if (archive.status === 'APPLIED') return { status: 'already-applied', pushId: archive.id };

      const current = await findAndLockStudent(tx, lookupNumbers(push));
      const decision = decidePush(push, current === null ? null : versionsOf(current));
      const studentId = await writeStudent(tx, current, decision, deps);
      await writeHistory(tx, studentId, archive.id, push.batchNo, decision);
      await markArchiveApplied(tx, archive.id, attempt);

      return { status: 'applied', pushId: archive.id, studentId, created: decision.creates, changes: countChanges(decision.history) };
    },
    {
      timeout: deps.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
      maxWait: deps.connectionWaitMs ?? DEFAULT_CONNECTION_WAIT_MS,
    },
  );
}

