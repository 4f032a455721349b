/** Fields of a push body for tests; `bg_mx_list` entries may leave out any field. */
export interface PushBodyFields {
  xh: string;
  bg_sj: string;
  cz_lx?: string;
  ksh?: string;
  xm?: string;
  sfzh?: string;
  bg_pch?: string;
  bg_mx_list?: Array<Partial<Record<'bg_lx' | 'bgq_dm' | 'bgq_mc' | 'bgh_dm' | 'bgh_mc', string>>>;
  [extra: string]: unknown;
}

/** Serialises a push body as the platform would send it, with UPDATE as the default operation. */
export function pushBody(fields: PushBodyFields): string {
  return JSON.stringify({ cz_lx: 'UPDATE', bg_mx_list: [], ...fields });
}

/** Builds a class change (KZ_BJ_ID) detail. */
export function classChange(afterCode: string, afterName = `班级${afterCode}`) {
  return { bg_lx: 'KZ_BJ_ID', bgq_dm: '', bgq_mc: '', bgh_dm: afterCode, bgh_mc: afterName };
}

/** Builds a student status (KZ_ZT) detail. */
export function statusChange(afterCode: string, afterName: string) {
  return { bg_lx: 'KZ_ZT', bgq_dm: '', bgq_mc: '', bgh_dm: afterCode, bgh_mc: afterName };
}

/** Builds a student number (XH) detail. */
export function numberChange(before: string, after: string) {
  return { bg_lx: 'XH', bgq_dm: before, bgq_mc: '', bgh_dm: after, bgh_mc: '' };
}

/** Builds a bank card (KZ_YHKH) detail. */
export function cardChange(before: string, after: string) {
  return { bg_lx: 'KZ_YHKH', bgq_dm: before, bgq_mc: '', bgh_dm: after, bgh_mc: '' };
}
