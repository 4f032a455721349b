import { ApplyError } from '@student-sync/domain';
import type { Student } from '../generated/prisma/client.ts';
import type { Transaction } from './types.ts';

/**
 * Finds the one student the numbers refer to and locks its row until commit. Each number
 * resolves through students.student_no first and student_aliases second. Returns null when
 * no number matches; throws STUDENT_NO_CONFLICT when the numbers reach different students.
 * The caller must hold the advisory locks on `numbers`, which keeps the mapping stable.
 */
export async function findAndLockStudent(tx: Transaction, numbers: string[]): Promise<Student | null> {
  const studentId = await resolveStudentId(tx, numbers);
  if (studentId === null) return null;

  // The row lock makes concurrent pushes found through different numbers wait here, and the
  // read after it returns the latest committed version of the row.
  await tx.$executeRaw`SELECT 1 FROM students WHERE id = ${studentId}::uuid FOR UPDATE`;
  return tx.student.findUniqueOrThrow({ where: { id: studentId } });
}

async function resolveStudentId(tx: Transaction, numbers: string[]): Promise<string | null> {
  const [byNumber, byAlias] = await Promise.all([
    tx.student.findMany({ where: { studentNo: { in: numbers } }, select: { id: true, studentNo: true } }),
    tx.studentAlias.findMany({ where: { studentNo: { in: numbers } }, select: { studentId: true, studentNo: true } }),
  ]);
  const ids = new Set<string>();
  for (const number of numbers) {
    const id = byNumber.find((row) => row.studentNo === number)?.id ?? byAlias.find((row) => row.studentNo === number)?.studentId;
    if (id !== undefined) ids.add(id);
  }

  if (ids.size > 1) {
    throw new ApplyError('STUDENT_NO_CONFLICT', `学号 ${numbers.join(', ')} 分属 ${ids.size} 名不同的学生 (student numbers ${numbers.join(', ')} belong to ${ids.size} different students)`);
  }
  return [...ids][0] ?? null;
}
