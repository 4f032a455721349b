import { involvedNumbers } from '@student-sync/domain';
import type { ApplyDependencies } from '../apply/types.ts';
import { insertAndLockArchiveRows, markArchiveRowsApplied } from './archive-rows.ts';
import { GroupState } from './group-state.ts';
import { loadAndLockStudents } from './load-students.ts';
import { lockAllStudentNumbers } from './number-locks.ts';
import { writeGroup } from './write-group.ts';
import type { BatchItem, BatchOutcome } from './types.ts';

const DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_WAIT_MS = 10_000;

/**
 * Applies a group of pushes in one transaction with a fixed number of set-based statements,
 * whatever the group's size. The pushes take effect as if `applyPush` ran for each in the
 * given order: a push that fails a rule gets the error `applyPush` would throw and changes
 * nothing, while the others still apply. Its archive row stays RECEIVED for the caller's
 * `recordFailedAttempt`.
 *
 * Rejects only when the transaction itself fails, for example on a deadlock, a timeout or a
 * constraint the rules did not foresee. Nothing of the group is written then, so the caller
 * should apply the pushes one by one to isolate the cause.
 */
export async function applyPushBatch(deps: ApplyDependencies, items: BatchItem[]): Promise<BatchOutcome[]> {
  if (items.length === 0) return [];
  const numbers = [...new Set(items.flatMap((item) => involvedNumbers(item.push)))];
  return deps.prisma.$transaction(
    async (tx) => {
      // Order matters: every number lock first, then rows, as in applyPush.
      await lockAllStudentNumbers(tx, numbers);
      const archives = await insertAndLockArchiveRows(tx, items.map((item) => item.archived));
      const group = new GroupState(await loadAndLockStudents(tx, numbers), deps, new Date());
      const outcomes = items.map((item) => group.apply(item, archives.get(item.archived.idempotencyKey)!));

      await writeGroup(tx, group);
      await markArchiveRowsApplied(tx, group.appliedPushes);
      return outcomes;
    },
    {
      timeout: deps.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
      maxWait: deps.connectionWaitMs ?? DEFAULT_CONNECTION_WAIT_MS,
    },
  );
}
