import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ChangeView, PushView, StudentView } from './student-view.ts';

/** Most change rows and most push rows one look-up returns. */
export const STUDENT_HISTORY_LIMIT = 1_000;

/**
 * Finds a student by its current number or by a number it had before a re-key, with its
 * aliases, change history and pushes. Returns null when no student has or had the number.
 * Sealed and hashed columns are never read.
 */
export async function findStudentView(prisma: PrismaClient, studentNo: string): Promise<StudentView | null> {
  const direct = await prisma.student.findUnique({ where: { studentNo }, select: { id: true } });
  const alias = direct ? null : await prisma.studentAlias.findUnique({ where: { studentNo }, select: { studentId: true } });
  const studentId = direct?.id ?? alias?.studentId;
  if (studentId === undefined) return null;

  const student = await prisma.student.findUniqueOrThrow({ where: { id: studentId }, select: STUDENT_COLUMNS });
  const numbers = [student.studentNo, ...student.aliases.map((entry) => entry.studentNo)];
  const [changes, pushes] = await Promise.all([
    prisma.studentChange.findMany({
      where: { studentId },
      orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
      take: STUDENT_HISTORY_LIMIT + 1,
    }),
    prisma.pushArchive.findMany({
      where: { studentNo: { in: numbers } },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: STUDENT_HISTORY_LIMIT + 1,
      select: PUSH_COLUMNS,
    }),
  ]);

  return {
    ...student,
    matchedBy: direct ? 'current' : 'alias',
    changes: changes.slice(0, STUDENT_HISTORY_LIMIT).map(toChangeView),
    pushes: pushes.slice(0, STUDENT_HISTORY_LIMIT).map((push) => ({ ...push, id: String(push.id), status: String(push.status) }) satisfies PushView),
    truncated: changes.length > STUDENT_HISTORY_LIMIT || pushes.length > STUDENT_HISTORY_LIMIT,
  };
}

const STUDENT_COLUMNS = {
  id: true,
  studentNo: true,
  examineeNo: true,
  examineeNoIrregular: true,
  name: true,
  idNumberMasked: true,
  classCode: true,
  className: true,
  bankCardMasked: true,
  statusCode: true,
  statusName: true,
  lastChangedAt: true,
  createdAt: true,
  updatedAt: true,
  aliases: { select: { studentNo: true, createdAt: true }, orderBy: { createdAt: 'asc' } },
} as const;

const PUSH_COLUMNS = {
  id: true,
  appKey: true,
  batchNo: true,
  studentNo: true,
  operation: true,
  changedAt: true,
  receivedAt: true,
  requestId: true,
  status: true,
  attempts: true,
  lastErrorCode: true,
  lastErrorMessage: true,
  appliedAt: true,
} as const;

function toChangeView(row: {
  id: bigint;
  pushId: bigint;
  changeType: string;
  beforeCode: string | null;
  beforeName: string | null;
  afterCode: string | null;
  afterName: string | null;
  changedAt: Date;
  outcome: string;
  batchNo: string | null;
}): ChangeView {
  return {
    id: String(row.id),
    pushId: String(row.pushId),
    changeType: row.changeType,
    beforeCode: row.beforeCode,
    beforeName: row.beforeName,
    afterCode: row.afterCode,
    afterName: row.afterName,
    changedAt: row.changedAt,
    outcome: row.outcome,
    batchNo: row.batchNo,
  };
}
