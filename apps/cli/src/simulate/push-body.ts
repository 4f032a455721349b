import { type SimStudent } from './cohort.ts';
import { type CodeName } from './reference-data.ts';

/** One bg_mx_list entry as the fee platform writes it. */
export interface DetailBody {
  bgh_dm: string;
  bgq_mc: string;
  bg_lx: string;
  bgh_mc: string;
  bgq_dm: string;
}

export type Operation = 'ADD' | 'UPDATE';

/** Builds a detail; `before` is empty for a value the student did not have yet. */
export function detail(changeType: string, before: CodeName | null, after: CodeName): DetailBody {
  // Key order follows the platform's documented example body.
  return {
    bgh_dm: after.code,
    bgq_mc: before?.name ?? '',
    bg_lx: changeType,
    bgh_mc: after.name,
    bgq_dm: before?.code ?? '',
  };
}

/**
 * Serialises a push body with the student's current values, in the key order of the
 * platform's documented example. The returned text is the exact body that is sent.
 */
export function pushBody(student: SimStudent, changeTime: string, batchNo: string, operation: Operation, details: DetailBody[]): string {
  return JSON.stringify({
    xh: student.studentNo,
    ksh: student.examineeNo,
    bg_sj: changeTime,
    sfzh: student.idNumber,
    xm: student.name,
    bg_mx_list: details,
    bg_pch: batchNo,
    cz_lx: operation,
  });
}
