import type { Transaction } from '../apply/types.ts';
import type { Student } from '../generated/prisma/client.ts';
import type { GroupState, HistoryRow } from './group-state.ts';

/**
 * Writes what a group changed with one set-based statement per table and kind of change.
 * Updates run before inserts, because a new student may take a number that a stored student
 * gave up in the same group. A number swap between stored students within one group can
 * still break the unique index mid-statement; the caller then applies the group push by push.
 */
export async function writeGroup(tx: Transaction, group: GroupState): Promise<void> {
  await updateStudents(tx, group.updatedStudents());
  await insertStudents(tx, group.createdStudents());
  const aliases = group.aliasChanges();
  if (aliases.removed.length > 0) {
    await tx.$executeRaw`DELETE FROM student_aliases WHERE student_no = ANY(${aliases.removed}::text[])`;
  }
  if (aliases.added.length > 0) {
    await tx.$executeRaw`
      INSERT INTO student_aliases (student_no, student_id)
      SELECT * FROM unnest(${aliases.added.map((row) => row.studentNo)}::text[], ${aliases.added.map((row) => row.studentId)}::uuid[])
      ON CONFLICT (student_no) DO NOTHING`;
  }
  await insertHistory(tx, group.history);
}

/** Column arrays of students, in the order of the SQL below. */
function studentColumns(students: Student[]) {
  const column = <T>(read: (student: Student) => T) => students.map(read);
  return {
    id: column((s) => s.id),
    studentNo: column((s) => s.studentNo),
    studentNoVersion: column((s) => s.studentNoVersion),
    examineeNo: column((s) => s.examineeNo),
    examineeNoIrregular: column((s) => s.examineeNoIrregular),
    examineeNoVersion: column((s) => s.examineeNoVersion),
    name: column((s) => s.name),
    nameVersion: column((s) => s.nameVersion),
    idNumberSealed: column((s) => s.idNumberSealed),
    idNumberHash: column((s) => s.idNumberHash),
    idNumberMasked: column((s) => s.idNumberMasked),
    idNumberVersion: column((s) => s.idNumberVersion),
    classCode: column((s) => s.classCode),
    className: column((s) => s.className),
    classVersion: column((s) => s.classVersion),
    bankCardSealed: column((s) => s.bankCardSealed),
    bankCardHash: column((s) => s.bankCardHash),
    bankCardMasked: column((s) => s.bankCardMasked),
    bankCardVersion: column((s) => s.bankCardVersion),
    statusCode: column((s) => s.statusCode),
    statusName: column((s) => s.statusName),
    statusVersion: column((s) => s.statusVersion),
    lastChangedAt: column((s) => s.lastChangedAt.toISOString()),
  };
}

async function updateStudents(tx: Transaction, students: Student[]): Promise<void> {
  if (students.length === 0) return;
  const columns = studentColumns(students);
  await tx.$executeRaw`
    UPDATE students AS s SET
      student_no = v.student_no, student_no_version = v.student_no_version,
      examinee_no = v.examinee_no, examinee_no_irregular = v.examinee_no_irregular, examinee_no_version = v.examinee_no_version,
      name = v.name, name_version = v.name_version,
      id_number_sealed = v.id_number_sealed, id_number_hash = v.id_number_hash, id_number_masked = v.id_number_masked, id_number_version = v.id_number_version,
      class_code = v.class_code, class_name = v.class_name, class_version = v.class_version,
      bank_card_sealed = v.bank_card_sealed, bank_card_hash = v.bank_card_hash, bank_card_masked = v.bank_card_masked, bank_card_version = v.bank_card_version,
      status_code = v.status_code, status_name = v.status_name, status_version = v.status_version,
      last_changed_at = v.last_changed_at, updated_at = now()
    FROM unnest(
      ${columns.id}::uuid[], ${columns.studentNo}::text[], ${columns.studentNoVersion}::text[],
      ${columns.examineeNo}::text[], ${columns.examineeNoIrregular}::bool[], ${columns.examineeNoVersion}::text[],
      ${columns.name}::text[], ${columns.nameVersion}::text[],
      ${columns.idNumberSealed}::text[], ${columns.idNumberHash}::text[], ${columns.idNumberMasked}::text[], ${columns.idNumberVersion}::text[],
      ${columns.classCode}::text[], ${columns.className}::text[], ${columns.classVersion}::text[],
      ${columns.bankCardSealed}::text[], ${columns.bankCardHash}::text[], ${columns.bankCardMasked}::text[], ${columns.bankCardVersion}::text[],
      ${columns.statusCode}::text[], ${columns.statusName}::text[], ${columns.statusVersion}::text[],
      ${columns.lastChangedAt}::timestamptz[]
    ) AS v(id, student_no, student_no_version, examinee_no, examinee_no_irregular, examinee_no_version, name, name_version,
           id_number_sealed, id_number_hash, id_number_masked, id_number_version, class_code, class_name, class_version,
           bank_card_sealed, bank_card_hash, bank_card_masked, bank_card_version, status_code, status_name, status_version, last_changed_at)
    WHERE s.id = v.id`;
}

async function insertStudents(tx: Transaction, students: Student[]): Promise<void> {
  if (students.length === 0) return;
  const columns = studentColumns(students);
  await tx.$executeRaw`
    INSERT INTO students (id, student_no, student_no_version, examinee_no, examinee_no_irregular, examinee_no_version, name, name_version,
      id_number_sealed, id_number_hash, id_number_masked, id_number_version, class_code, class_name, class_version,
      bank_card_sealed, bank_card_hash, bank_card_masked, bank_card_version, status_code, status_name, status_version, last_changed_at, updated_at)
    SELECT v.*, now() FROM unnest(
      ${columns.id}::uuid[], ${columns.studentNo}::text[], ${columns.studentNoVersion}::text[],
      ${columns.examineeNo}::text[], ${columns.examineeNoIrregular}::bool[], ${columns.examineeNoVersion}::text[],
      ${columns.name}::text[], ${columns.nameVersion}::text[],
      ${columns.idNumberSealed}::text[], ${columns.idNumberHash}::text[], ${columns.idNumberMasked}::text[], ${columns.idNumberVersion}::text[],
      ${columns.classCode}::text[], ${columns.className}::text[], ${columns.classVersion}::text[],
      ${columns.bankCardSealed}::text[], ${columns.bankCardHash}::text[], ${columns.bankCardMasked}::text[], ${columns.bankCardVersion}::text[],
      ${columns.statusCode}::text[], ${columns.statusName}::text[], ${columns.statusVersion}::text[],
      ${columns.lastChangedAt}::timestamptz[]
    ) AS v`;
}

async function insertHistory(tx: Transaction, rows: HistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(read: (row: HistoryRow) => T) => rows.map(read);
  await tx.$executeRaw`
    INSERT INTO student_changes (student_id, push_id, detail_index, change_type, before_code, before_name, after_code, after_name, changed_at, outcome, batch_no)
    SELECT v.student_id, v.push_id, v.detail_index, v.change_type, v.before_code, v.before_name, v.after_code, v.after_name,
           v.changed_at, v.outcome::"ChangeOutcome", v.batch_no
    FROM unnest(
      ${column((r) => r.studentId)}::uuid[], ${column((r) => String(r.pushId))}::bigint[], ${column((r) => r.detailIndex)}::int4[],
      ${column((r) => r.changeType)}::text[], ${column((r) => r.beforeCode)}::text[], ${column((r) => r.beforeName)}::text[],
      ${column((r) => r.afterCode)}::text[], ${column((r) => r.afterName)}::text[], ${column((r) => r.changedAt.toISOString())}::timestamptz[],
      ${column((r) => r.outcome)}::text[], ${column((r) => r.batchNo)}::text[]
    ) AS v(student_id, push_id, detail_index, change_type, before_code, before_name, after_code, after_name, changed_at, outcome, batch_no)
    ON CONFLICT (push_id, detail_index) DO NOTHING`;
}
