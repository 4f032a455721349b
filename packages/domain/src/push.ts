/** Operation (cz_lx) of a push: ADD creates a student, UPDATE changes one. */
export type Operation = 'ADD' | 'UPDATE';

/** Change types (bg_lx) that change a field of the student record. Others are kept as IGNORED. */
export const KNOWN_CHANGE_TYPES = ['XH', 'KZ_BJ_ID', 'KZ_YHKH', 'KZ_ZT'] as const;
export type KnownChangeType = (typeof KNOWN_CHANGE_TYPES)[number];

/** One entry of bg_mx_list. Codes and names are kept as sent; a missing one is null. */
export interface ChangeDetail {
  changeType: string;
  beforeCode: string | null;
  beforeName: string | null;
  afterCode: string | null;
  afterName: string | null;
}

/** A push body (API 4.4.3) after validation, with the fields the rules read. */
export interface Push {
  /** xh: the student number the platform uses now. */
  studentNo: string;
  /** bg_sj as sent: yyyyMMddHHmmss in GMT+8. */
  changeTime: string;
  operation: Operation;
  /** ksh, xm and sfzh: null when absent or empty, because an empty value never clears a field. */
  examineeNo: string | null;
  name: string | null;
  idNumber: string | null;
  batchNo: string | null;
  details: ChangeDetail[];
  /** SHA-256 hex of the raw body; breaks ties between pushes with the same bg_sj. */
  bodySha256: string;
}

export function isKnownChangeType(changeType: string): changeType is KnownChangeType {
  return (KNOWN_CHANGE_TYPES as readonly string[]).includes(changeType);
}
