import { lockKeyOf, STUDENT_NO_LOCK_SPACE } from '../apply/number-locks.ts';
import type { Transaction } from '../apply/types.ts';

// Group and single-push appliers share STUDENT_NO_LOCK_SPACE, so they exclude each other.
export { STUDENT_NO_LOCK_SPACE };

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
