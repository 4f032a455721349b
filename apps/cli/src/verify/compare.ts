import { maskBankCard, maskIdNumber } from '@student-sync/privacy';
import { type ExpectedStudent } from '../simulate/expected.ts';

/** A student as stored, with sealed values opened; the same shape as the expected state. */
export type StoredStudent = ExpectedStudent;

/** One difference between the expected and the stored state. Personal data in it is masked. */
export interface Difference {
  studentNo: string;
  /** A field name, or `student` when the whole student is missing or unexpected. */
  field: string;
  expected: string;
  actual: string;
}

const COMPARED_FIELDS = ['examineeNo', 'name', 'idNumber', 'classCode', 'className', 'bankCard', 'statusCode', 'statusName'] as const;
type ComparedField = (typeof COMPARED_FIELDS)[number];

const MASKS: Partial<Record<ComparedField, (value: string) => string>> = { idNumber: maskIdNumber, bankCard: maskBankCard };

export interface CompareOptions {
  /** True to accept stored students that the expected state does not list, e.g. on a shared database. */
  allowExtra: boolean;
}

/** Lists every difference, student by student in student-number order. */
export function compareStudents(expected: readonly ExpectedStudent[], stored: readonly StoredStudent[], options: CompareOptions): Difference[] {
  const storedByNumber = new Map(stored.map((student) => [student.studentNo, student]));
  const differences: Difference[] = [];

  for (const want of expected) {
    const have = storedByNumber.get(want.studentNo);
    storedByNumber.delete(want.studentNo);
    if (!have) differences.push({ studentNo: want.studentNo, field: 'student', expected: '存在 (present)', actual: '缺失 (missing)' });
    else differences.push(...compareOne(want, have));
  }

  if (!options.allowExtra) {
    for (const extra of storedByNumber.values()) {
      differences.push({ studentNo: extra.studentNo, field: 'student', expected: '不存在 (absent)', actual: '多出 (unexpected)' });
    }
  }
  return differences.sort((a, b) => a.studentNo.localeCompare(b.studentNo));
}

function compareOne(want: ExpectedStudent, have: StoredStudent): Difference[] {
  const differences: Difference[] = [];
  for (const field of COMPARED_FIELDS) {
    if (want[field] === have[field]) continue;
    differences.push({ studentNo: want.studentNo, field, ...shown(field, want[field], have[field]) });
  }

  const wantAliases = [...want.formerStudentNos].sort().join(',');
  const haveAliases = [...have.formerStudentNos].sort().join(',');
  if (wantAliases !== haveAliases) {
    differences.push({ studentNo: want.studentNo, field: 'formerStudentNos', expected: wantAliases || '(无)', actual: haveAliases || '(无)' });
  }
  return differences;
}

function shown(field: ComparedField, expected: string | null, actual: string | null): { expected: string; actual: string } {
  const mask = MASKS[field] ?? ((value: string) => value);
  const show = (value: string | null) => (value === null ? '(空)' : mask(value));
  const pair = { expected: show(expected), actual: show(actual) };
  // Masks keep only the ends, so two different numbers can look alike.
  if (pair.expected === pair.actual) pair.actual += ' (掩码相同, 值不同)';
  return pair;
}

/** Formats differences for the terminal, at most `limit` lines of them. */
export function formatDifferences(differences: readonly Difference[], limit: number): string {
  const lines = differences.slice(0, limit).map((d) => `${d.studentNo}  ${d.field}: 期望 ${d.expected}, 实际 ${d.actual}`);
  if (differences.length > limit) lines.push(`... 另有 ${differences.length - limit} 处差异未显示 (more differences not shown)`);
  return lines.join('\n');
}
