import type { Transaction } from '../apply/types.ts';
import type { Student } from '../generated/prisma/client.ts';

/** The stored students and aliases a group can reach through its student numbers. */
export interface LoadedStudents {
  students: Student[];
  /** Alias number to student id, for the group's numbers that are aliases. */
  aliases: Map<string, string>;
}

/**
 * Finds every student that one of `numbers` refers to (as current number or alias), locks
 * those rows in id order until commit, and reads them. The caller holds the advisory locks
 * on `numbers`, which keeps the number-to-student mapping stable until commit.
 */
export async function loadAndLockStudents(tx: Transaction, numbers: string[]): Promise<LoadedStudents> {
  const [byNumber, aliasRows] = await Promise.all([
    tx.student.findMany({ where: { studentNo: { in: numbers } }, select: { id: true } }),
    tx.studentAlias.findMany({ where: { studentNo: { in: numbers } }, select: { studentNo: true, studentId: true } }),
  ]);
  const ids = [...new Set([...byNumber.map((row) => row.id), ...aliasRows.map((row) => row.studentId)])];
  if (ids.length > 0) {
    // The row locks make a concurrent applier that reaches one of these students through
    // another number wait, and the read after them returns the latest committed rows.
    await tx.$executeRaw`SELECT 1 FROM students WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  }
  const students = ids.length > 0 ? await tx.student.findMany({ where: { id: { in: ids } } }) : [];
  return { students, aliases: new Map(aliasRows.map((row) => [row.studentNo, row.studentId])) };
}
