import { createHash } from 'node:crypto';
import { type BatchWriter, wallTime } from './batch-writer.ts';
import { CLASSES_PER_MAJOR, classOf, type CohortFactory, type SimStudent } from './cohort.ts';
import { detail } from './push-body.ts';
import { type Random } from './random.ts';
import { type CodeName, MAJORS, STATUS } from './reference-data.ts';

/** State shared by the phases of the academic year. */
export interface PhaseContext {
  random: Random;
  factory: CohortFactory;
  writer: BatchWriter;
  students: SimStudent[];
  /** Autumn term year, e.g. 2025 for the 2025-2026 academic year. */
  year: number;
  /** Keys of students that got two bank card changes with the same bg_sj. */
  tiedStudentKeys: Set<number>;
}

/** New students: one ADD each, with class, status and bank card as details. */
export function enrol(context: PhaseContext): void {
  const { writer, random, year } = context;
  writer.startBatch(wallTime(year, 8, 20, 9));
  for (const student of random.shuffle(context.students)) {
    writer.emit(student, 'ADD', [
      detail('KZ_BJ_ID', null, student.class),
      detail('KZ_ZT', null, student.status),
      detail('KZ_YHKH', null, student.bankCard),
    ]);
  }
}

/** Term start: a share of students move to another class of their major. */
export function moveClasses(context: PhaseContext): void {
  const { writer, random, year } = context;
  writer.startBatch(wallTime(year, 9, 1, 8, 30));
  for (const student of sample(context, 0.35, isActive)) {
    const classNo = otherClassNo(random, student.classNo);
    writer.emit(student, 'UPDATE', [detail('KZ_BJ_ID', student.class, classOf(student.grade, student.major, classNo))]);
    setClass(student, classNo);
  }
}

/** Major transfers (转专业): a new student number and a class of the new major in one push. */
export function transferMajors(context: PhaseContext): void {
  const { writer, random, year, factory } = context;
  writer.startBatch(wallTime(year, 9, 15, 10));
  for (const student of sample(context, 0.03, (s) => isActive(s) && !isGraduating(context, s))) {
    const major = random.pick(MAJORS.filter((m) => m.code !== student.major.code));
    const classNo = random.int(1, CLASSES_PER_MAJOR);
    const oldNo: CodeName = { code: student.studentNo, name: student.studentNo };
    const oldClass = student.class;

    student.major = major;
    student.studentNo = factory.nextStudentNo(student.grade, major, classNo);
    setClass(student, classNo);
    // xh carries the new number: the platform states current values as of bg_sj.
    writer.emit(student, 'UPDATE', [
      detail('XH', oldNo, { code: student.studentNo, name: student.studentNo }),
      detail('KZ_BJ_ID', oldClass, student.class),
    ]);
  }
}

/** Bank card changes; a few students get two in the same second, which the body hash orders. */
export function changeBankCards(context: PhaseContext, start: Date, share: number): void {
  const { writer, random, factory } = context;
  writer.startBatch(start);
  for (const student of sample(context, share, (s) => s.status.code !== STATUS.withdrawn.code)) {
    const card = factory.createBankCard();
    const first = writer.emit(student, 'UPDATE', [detail('KZ_YHKH', student.bankCard, card)]);
    if (!random.chance(0.05)) {
      student.bankCard = card;
      continue;
    }

    const other = factory.createBankCard();
    const second = writer.emit(student, 'UPDATE', [detail('KZ_YHKH', student.bankCard, other)], true);
    // Equal bg_sj: the push whose body has the greater SHA-256 is the newer one.
    student.bankCard = sha256(second.body) > sha256(first.body) ? other : card;
    context.tiedStudentKeys.add(student.key);
  }
}

/** Suspensions (休学) in the autumn term. */
export function suspend(context: PhaseContext): void {
  changeStatus(context, wallTime(context.year, 10, 15, 14), 0.04, STATUS.suspended, (s) => isActive(s) && !isGraduating(context, s));
}

/** Withdrawals (退学) in the autumn term. */
export function withdraw(context: PhaseContext): void {
  changeStatus(context, wallTime(context.year, 11, 20, 10), 0.01, STATUS.withdrawn, (s) => s.status.code === STATUS.enrolled.code);
}

/** Resumptions (复学) in spring: status and a class of the next grade in one push. */
export function resume(context: PhaseContext): void {
  const { writer, random, year } = context;
  writer.startBatch(wallTime(year + 1, 2, 24, 9));
  for (const student of random.shuffle(context.students.filter((s) => s.status.code === STATUS.suspended.code))) {
    const oldClass = student.class;
    const oldStatus = student.status;
    student.grade += 1;
    setClass(student, random.int(1, CLASSES_PER_MAJOR));
    student.status = STATUS.resumed;
    writer.emit(student, 'UPDATE', [detail('KZ_ZT', oldStatus, student.status), detail('KZ_BJ_ID', oldClass, student.class)]);
  }
}

/** Graduation (毕业) of the final-year grade at the end of the academic year. */
export function graduate(context: PhaseContext): void {
  const { writer, year } = context;
  writer.startBatch(wallTime(year + 1, 6, 30, 16));
  for (const student of context.students.filter((s) => isGraduating(context, s) && isActive(s))) {
    writer.emit(student, 'UPDATE', [detail('KZ_ZT', student.status, STATUS.graduated)]);
    student.status = STATUS.graduated;
  }
}

function changeStatus(context: PhaseContext, start: Date, share: number, next: CodeName, eligible: (s: SimStudent) => boolean): void {
  context.writer.startBatch(start);
  for (const student of sample(context, share, eligible)) {
    context.writer.emit(student, 'UPDATE', [detail('KZ_ZT', student.status, next)]);
    student.status = next;
  }
}

function sample(context: PhaseContext, share: number, eligible: (s: SimStudent) => boolean): SimStudent[] {
  return context.random.shuffle(context.students.filter((s) => eligible(s) && context.random.chance(share)));
}

function isActive(student: SimStudent): boolean {
  return student.status.code === STATUS.enrolled.code || student.status.code === STATUS.resumed.code;
}

/** Four-year programmes: the grade that entered three years before the autumn term graduates. */
function isGraduating(context: PhaseContext, student: SimStudent): boolean {
  return student.grade === context.year - 3;
}

function otherClassNo(random: Random, current: number): number {
  const offset = random.int(1, CLASSES_PER_MAJOR - 1);
  return ((current - 1 + offset) % CLASSES_PER_MAJOR) + 1;
}

function setClass(student: SimStudent, classNo: number): void {
  student.classNo = classNo;
  student.class = classOf(student.grade, student.major, classNo);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
