import { lockKeyOf } from '../apply/number-locks.ts';
import type { Transaction } from '../apply/types.ts';

/**
 * First key of the two-key advisory locks on student numbers ("STNO" in ASCII). It must be
 * the value in ../apply/number-locks.ts, so that group and single-push appliers exclude each
 * other; a test pins that.
 */
export const STUDENT_NO_LOCK_SPACE = 0x53544e4f;

/**
 * Takes the transaction-scoped advisory lock of every number in one statement, in ascending
 * key order like the single-push applier, so lock waits between any two appliers cannot form
 * a cycle. The sorted subquery fixes the order in which the outer query calls the function.
 */
export async function lockAllStudentNumbers(tx: Transaction, numbers: Iterable<string>): Promise<void> {
  const keys = [...new Set([...numbers].map(lockKeyOf))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(${STUDENT_NO_LOCK_SPACE}::int4, ordered.key)
    FROM (SELECT key FROM unnest(${keys}::int4[]) AS key ORDER BY key) AS ordered`;
}
