import { ApplyError, type PushDecision } from '@student-sync/domain';
import type { Student } from '../generated/prisma/client.ts';
import { type PersonalDataKeys, toColumns } from './student-columns.ts';
import type { Transaction } from './types.ts';

/** Creates or updates the student from the decision, keeps its aliases, and returns its id. */
export async function writeStudent(
  tx: Transaction,
  current: Student | null,
  decision: PushDecision,
  keys: PersonalDataKeys,
): Promise<string> {
  await assertNumberFree(tx, current, decision.studentNo);
  // With the stored student given, an ID or card number it already contains is not sealed and hashed again.
  const columns = toColumns(decision.patch, decision.versions, keys, current);

  let studentId: string;
  if (current === null) {
    const created = await tx.student.create({
      data: { ...columns, studentNo: decision.studentNo, studentNoVersion: decision.versions.studentNo!, lastChangedAt: decision.changedAt },
      select: { id: true },
    });
    studentId = created.id;
  } else {
    const lastChangedAt = current.lastChangedAt > decision.changedAt ? current.lastChangedAt : decision.changedAt;
    await tx.student.update({ where: { id: current.id }, data: { ...columns, lastChangedAt } });
    studentId = current.id;
  }

  await keepAliases(tx, studentId, decision);
  return studentId;
}

/** Rejects a re-key onto another student's current number, which no retry can fix. */
async function assertNumberFree(tx: Transaction, current: Student | null, studentNo: string): Promise<void> {
  if (current?.studentNo === studentNo) return;
  const holder = await tx.student.findUnique({ where: { studentNo }, select: { id: true } });
  if (holder !== null && holder.id !== current?.id) {
    throw new ApplyError('STUDENT_NO_CONFLICT', `学号 ${studentNo} 已属于另一名学生 (student number ${studentNo} already belongs to another student)`);
  }
}

/**
 * Removes the current number from the aliases and adds every other number the push used,
 * except numbers that are already another student's alias.
 */
async function keepAliases(tx: Transaction, studentId: string, decision: PushDecision): Promise<void> {
  await tx.studentAlias.deleteMany({ where: { studentNo: decision.studentNo } });
  if (decision.aliases.length === 0) return;
  await tx.studentAlias.createMany({
    data: decision.aliases.map((studentNo) => ({ studentNo, studentId })),
    skipDuplicates: true,
  });
}

/** Writes one history row per change detail; a row already written for the same push and detail stays. */
export async function writeHistory(
  tx: Transaction,
  studentId: string,
  pushId: bigint,
  batchNo: string | null,
  decision: PushDecision,
): Promise<void> {
  if (decision.history.length === 0) return;
  await tx.studentChange.createMany({
    data: decision.history.map((entry) => ({ ...entry, studentId, pushId, batchNo, changedAt: decision.changedAt })),
    skipDuplicates: true,
  });
}
