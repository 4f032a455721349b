import { emptyVersions, type FieldVersions, type PushDecision, type StudentVersions } from './decision.ts';

/** A student record in plaintext, as the rules see it; the database keeps personal data sealed. */
export interface StudentRecord extends StudentVersions {
  examineeNo: string | null;
  examineeNoIrregular: boolean;
  name: string | null;
  idNumber: string | null;
  classCode: string | null;
  className: string | null;
  bankCard: string | null;
  statusCode: string | null;
  statusName: string | null;
  versions: FieldVersions;
  /** bg_sj of the newest push applied to the student. */
  lastChangedAt: Date;
}

/** Returns the record after a decision, leaving the input unchanged. */
export function applyDecision(record: StudentRecord | null, decision: PushDecision): StudentRecord {
  const base = record ?? emptyRecord(decision);
  const lastChangedAt = base.lastChangedAt > decision.changedAt ? base.lastChangedAt : decision.changedAt;
  return {
    ...base,
    ...decision.patch,
    studentNo: decision.studentNo,
    versions: { ...base.versions, ...decision.versions },
    lastChangedAt,
  };
}

function emptyRecord(decision: PushDecision): StudentRecord {
  return {
    studentNo: decision.studentNo,
    examineeNo: null,
    examineeNoIrregular: false,
    name: null,
    idNumber: null,
    classCode: null,
    className: null,
    bankCard: null,
    statusCode: null,
    statusName: null,
    versions: emptyVersions(),
    lastChangedAt: decision.changedAt,
  };
}
