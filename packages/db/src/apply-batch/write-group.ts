import type { GroupState, HistoryRow } from './group-state.ts';
import type { Student } from '../generated/prisma/client.ts';
import type { SqlClient } from './sql-transaction.ts';

/**
 * Columns of a JSON array of studentRecord objects, for json_to_recordset. The rows travel as
 * one JSON parameter because JSON.stringify is native code, while pg escapes every element of
 * a text array parameter in JavaScript.
 */
const STUDENT_RECORD = `v(id uuid, "studentNo" text, "studentNoVersion" text,
  "examineeNo" text, "examineeNoIrregular" bool, "examineeNoVersion" text, name text, "nameVersion" text,
  "idNumberSealed" text, "idNumberHash" text, "idNumberMasked" text, "idNumberVersion" text,
  "classCode" text, "className" text, "classVersion" text,
  "bankCardSealed" text, "bankCardHash" text, "bankCardMasked" text, "bankCardVersion" text,
  "statusCode" text, "statusName" text, "statusVersion" text, "lastChangedAt" timestamptz)`;

/**
 * Writes what a group changed to the students and aliases, with one set-based statement per
 * table and kind of change. Updates run before inserts, because a new student may take a
 * number that a stored student gave up in the same group. A number swap between stored
 * students within one group can still break the unique index mid-statement; the caller then
 * applies the group push by push.
 */
export async function writeStudents(client: SqlClient, group: GroupState): Promise<void> {
  await updateStudents(client, group.updatedStudents());
  await insertStudents(client, group.createdStudents());
  const aliases = group.aliasChanges();
  if (aliases.removed.length > 0) {
    await client.query('DELETE FROM student_aliases WHERE student_no = ANY($1::text[])', [aliases.removed]);
  }
  if (aliases.added.length > 0) {
    await client.query({
      name: 'apply-batch: insert aliases',
      text: `INSERT INTO student_aliases (student_no, student_id)
       SELECT * FROM unnest($1::text[], $2::uuid[])
       ON CONFLICT (student_no) DO NOTHING`,
      values: [aliases.added.map((row) => row.studentNo), aliases.added.map((row) => row.studentId)],
    });
  }
}

/**
 * Returns the columns of STUDENT_RECORD, with the time as ISO text. JSON.stringify calls
 * Date.toJSON for each Date, which costs more than the copy (Node 20).
 */
function studentRecord(student: Student) {
  return {
    id: student.id,
    studentNo: student.studentNo,
    studentNoVersion: student.studentNoVersion,
    examineeNo: student.examineeNo,
    examineeNoIrregular: student.examineeNoIrregular,
    examineeNoVersion: student.examineeNoVersion,
    name: student.name,
    nameVersion: student.nameVersion,
    idNumberSealed: student.idNumberSealed,
    idNumberHash: student.idNumberHash,
    idNumberMasked: student.idNumberMasked,
    idNumberVersion: student.idNumberVersion,
    classCode: student.classCode,
    className: student.className,
    classVersion: student.classVersion,
    bankCardSealed: student.bankCardSealed,
    bankCardHash: student.bankCardHash,
    bankCardMasked: student.bankCardMasked,
    bankCardVersion: student.bankCardVersion,
    statusCode: student.statusCode,
    statusName: student.statusName,
    statusVersion: student.statusVersion,
    lastChangedAt: student.lastChangedAt.toISOString(),
  };
}

async function updateStudents(client: SqlClient, students: Student[]): Promise<void> {
  if (students.length === 0) return;
  await client.query({
    name: 'apply-batch: update students',
    text: `UPDATE students AS s SET
       student_no = v."studentNo", student_no_version = v."studentNoVersion",
       examinee_no = v."examineeNo", examinee_no_irregular = v."examineeNoIrregular", examinee_no_version = v."examineeNoVersion",
       name = v.name, name_version = v."nameVersion",
       id_number_sealed = v."idNumberSealed", id_number_hash = v."idNumberHash", id_number_masked = v."idNumberMasked", id_number_version = v."idNumberVersion",
       class_code = v."classCode", class_name = v."className", class_version = v."classVersion",
       bank_card_sealed = v."bankCardSealed", bank_card_hash = v."bankCardHash", bank_card_masked = v."bankCardMasked", bank_card_version = v."bankCardVersion",
       status_code = v."statusCode", status_name = v."statusName", status_version = v."statusVersion",
       last_changed_at = v."lastChangedAt", updated_at = now()
     FROM json_to_recordset($1::json) AS ${STUDENT_RECORD}
     WHERE s.id = v.id`,
    values: [JSON.stringify(students.map(studentRecord))],
  });
}

async function insertStudents(client: SqlClient, students: Student[]): Promise<void> {
  if (students.length === 0) return;
  await client.query({
    name: 'apply-batch: insert students',
    text: `INSERT INTO students (id, student_no, student_no_version, examinee_no, examinee_no_irregular, examinee_no_version, name, name_version,
       id_number_sealed, id_number_hash, id_number_masked, id_number_version, class_code, class_name, class_version,
       bank_card_sealed, bank_card_hash, bank_card_masked, bank_card_version, status_code, status_name, status_version, last_changed_at, updated_at)
     SELECT v.*, now() FROM json_to_recordset($1::json) AS ${STUDENT_RECORD}`,
    values: [JSON.stringify(students.map(studentRecord))],
  });
}

/**
 * Inserts the history rows, each with the id of its push's archive row from `pushIds`
 * (idempotency key to id). A row already written for the same push and detail stays.
 */
export async function insertHistory(client: SqlClient, rows: HistoryRow[], pushIds: ReadonlyMap<string, string>): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((row) => ({
    studentId: row.studentId,
    pushId: pushIds.get(row.pushKey),
    detailIndex: row.detailIndex,
    changeType: row.changeType,
    beforeCode: row.beforeCode,
    beforeName: row.beforeName,
    afterCode: row.afterCode,
    afterName: row.afterName,
    changedAt: row.changedAt,
    outcome: row.outcome,
    batchNo: row.batchNo,
  }));
  await client.query({
    name: 'apply-batch: insert history',
    text: `INSERT INTO student_changes (student_id, push_id, detail_index, change_type, before_code, before_name, after_code, after_name, changed_at, outcome, batch_no)
     SELECT v."studentId", v."pushId", v."detailIndex", v."changeType", v."beforeCode", v."beforeName", v."afterCode", v."afterName",
       v."changedAt", v.outcome::"ChangeOutcome", v."batchNo"
     FROM json_to_recordset($1::json) AS v("studentId" uuid, "pushId" int8, "detailIndex" int4, "changeType" text, "beforeCode" text,
       "beforeName" text, "afterCode" text, "afterName" text, "changedAt" timestamptz, outcome text, "batchNo" text)
     ON CONFLICT (push_id, detail_index) DO NOTHING`,
    values: [JSON.stringify(records)],
  });
}
