/** Fields of the student record that carry their own version. */
export const VERSIONED_FIELDS = ['studentNo', 'examineeNo', 'name', 'idNumber', 'class', 'bankCard', 'status'] as const;
export type VersionedField = (typeof VERSIONED_FIELDS)[number];
export type FieldVersions = Record<VersionedField, string | null>;

/** Part of a stored student that the rules read: its number and the version of each field. */
export interface StudentVersions {
  studentNo: string;
  versions: FieldVersions;
}

/**
 * New field values in plaintext; a key that is absent leaves the field unchanged. The db
 * layer seals, hashes and masks `idNumber` and `bankCard` before writing them.
 */
export interface StudentPatch {
  studentNo?: string;
  examineeNo?: string;
  examineeNoIrregular?: boolean;
  name?: string;
  idNumber?: string;
  classCode?: string | null;
  className?: string | null;
  bankCard?: string | null;
  statusCode?: string | null;
  statusName?: string | null;
}

export type ChangeOutcome = 'APPLIED' | 'SUPERSEDED' | 'IGNORED';

/** History entry of one change detail. Bank card values in it are masked. */
export interface HistoryEntry {
  detailIndex: number;
  changeType: string;
  beforeCode: string | null;
  beforeName: string | null;
  afterCode: string | null;
  afterName: string | null;
  outcome: ChangeOutcome;
}

/** The outcome of applying one push to one student (or to none, for an ADD that creates it). */
export interface PushDecision {
  /** True when no student matched and this ADD creates one. */
  creates: boolean;
  patch: StudentPatch;
  /** New version of each field the push wrote. */
  versions: Partial<FieldVersions>;
  /** The student number after the push. */
  studentNo: string;
  /**
   * Other numbers this push used for the student (xh, and both sides of XH details, also
   * superseded ones), to keep as aliases so that a later push using any of them finds it.
   */
  aliases: string[];
  /** bg_sj of the push as an instant. */
  changedAt: Date;
  history: HistoryEntry[];
}

export function emptyVersions(): FieldVersions {
  return { studentNo: null, examineeNo: null, name: null, idNumber: null, class: null, bankCard: null, status: null };
}
