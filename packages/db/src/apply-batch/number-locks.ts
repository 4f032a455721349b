import { lockKeyOf, STUDENT_NO_LOCK_SPACE } from '../apply/number-locks.ts';
import type { SqlClient } from './sql-transaction.ts';

// Group and single-push appliers share STUDENT_NO_LOCK_SPACE, so they exclude each other.
export { STUDENT_NO_LOCK_SPACE };

/**
 * Takes the transaction-scoped advisory lock of every number in one statement, in ascending
 * key order like the single-push applier, so lock waits between any two appliers cannot form
 * a cycle. The sorted subquery fixes the order in which the outer query calls the function.
 */
export async function lockAllStudentNumbers(client: SqlClient, numbers: Iterable<string>): Promise<void> {
  const keys = [...new Set([...numbers].map(lockKeyOf))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await client.query({
    name: 'apply-batch: lock numbers',
    text: `SELECT pg_advisory_xact_lock($1::int4, ordered.key)
     FROM (SELECT key FROM unnest($2::int4[]) AS key ORDER BY key) AS ordered`,
    values: [STUDENT_NO_LOCK_SPACE, keys],
  });
}
