import { involvedNumbers } from '@student-sync/domain';
import { poolOf } from '../client.ts';
import type { ApplyDependencies } from '../apply/types.ts';
import { insertArchiveRows, lockExistingArchiveRows, markArchiveRowsApplied } from './archive-rows.ts';
import { GroupArchive } from './group-archive.ts';
import { GroupState } from './group-state.ts';
import { loadAndLockStudents } from './load-students.ts';
import { lockAllStudentNumbers } from './number-locks.ts';
import { runTransaction } from './sql-transaction.ts';
import { insertHistory, writeStudents } from './write-group.ts';
import type { BatchItem, BatchOutcome } from './types.ts';

const DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_WAIT_MS = 10_000;

/**
 * Applies a group of pushes in one transaction with a fixed number of set-based statements,
 * whatever the group's size. The pushes take effect as if `applyPush` ran for each in the
 * given order: a push that fails a rule gets the error `applyPush` would throw and changes
 * nothing, while the others still apply. Its archive row is inserted RECEIVED for the
 * caller's `recordFailedAttempt`.
 *
 * The statements go to the `pg` pool under `deps.prisma` directly: through Prisma's query
 * engine they cost the worker more CPU than the rules themselves.
 *
 * Rejects only when the transaction itself fails, for example on a deadlock, a timeout or a
 * constraint the rules did not foresee. Nothing of the group is written then, so the caller
 * should apply the pushes one by one to isolate the cause.
 */
export async function applyPushBatch(deps: ApplyDependencies, items: BatchItem[]): Promise<BatchOutcome[]> {
  if (items.length === 0) return [];
  const numbers = [...new Set(items.flatMap((item) => involvedNumbers(item.push)))];
  const limits = {
    timeoutMs: deps.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
    connectionWaitMs: deps.connectionWaitMs ?? DEFAULT_CONNECTION_WAIT_MS,
  };
  return runTransaction(poolOf(deps.prisma), limits, async (client) => {
    // Order matters: every number lock first, then rows, as in applyPush.
    await lockAllStudentNumbers(client, numbers);
    const archive = new GroupArchive(await lockExistingArchiveRows(client, items.map((item) => item.archived.idempotencyKey)));
    const group = new GroupState(await loadAndLockStudents(client, numbers), archive, deps, new Date());
    const outcomes = items.map((item) => group.apply(item));

    await writeStudents(client, group);
    const pushIds = archive.assignIds(await insertArchiveRows(client, archive.newRows()));
    await markArchiveRowsApplied(client, archive.appliedExisting);
    await insertHistory(client, group.history, pushIds);
    return outcomes;
  });
}
