import { createHash } from 'node:crypto';
import type { Transaction } from './types.ts';

/**
 * First key of the two-key form of PostgreSQL advisory locks, reserved for student numbers
 * ("STNO" in ASCII). The one-key form stays free for other users such as the migration lock.
 */
export const STUDENT_NO_LOCK_SPACE = 0x53544e4f;

/**
 * Takes a transaction-scoped advisory lock on each student number, so that pushes touching
 * the same numbers run one after another and their look-ups stay valid until commit.
 * Every caller takes its locks in ascending key order, one statement each, so advisory
 * lock waits cannot form a cycle. Distinct numbers that hash to one key share a lock.
 */
export async function lockStudentNumbers(tx: Transaction, numbers: string[]): Promise<void> {
  const keys = [...new Set(numbers.map(lockKeyOf))].sort((a, b) => a - b);
  for (const key of keys) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${STUDENT_NO_LOCK_SPACE}::int4, ${key}::int4)`;
  }
}

/** Maps a student number to a signed 32-bit lock key (the first 4 bytes of its SHA-256). */
export function lockKeyOf(studentNo: string): number {
  return createHash('sha256').update(studentNo, 'utf8').digest().readInt32BE(0);
}
