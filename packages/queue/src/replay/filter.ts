import type { DeadLetterJobData } from '../payload.ts';

/** Selection of dead letters. Every field given must match, and an empty filter selects all. */
export interface DeadLetterFilter {
  /** bg_pch of the push. */
  batchNo?: string;
  appKey?: string;
  /** Error code of the last failed attempt, e.g. DATABASE_ERROR. */
  errorCode?: string;
  /** Dead-lettered at or after this time (the entry's lastFailedAt). */
  since?: Date;
  /** Dead-lettered before this time. */
  until?: Date;
  /** Dead-letter job ids, which are the ids of the failed push jobs. */
  ids?: string[];
}

/** Returns true when the dead letter matches every field of the filter. */
export function matchesFilter(letter: DeadLetterJobData, filter: DeadLetterFilter): boolean {
  if (filter.batchNo !== undefined && letter.push.batchNo !== filter.batchNo) return false;
  if (filter.appKey !== undefined && letter.push.appKey !== filter.appKey) return false;
  if (filter.errorCode !== undefined && letter.errorCode !== filter.errorCode) return false;
  const failedAt = Date.parse(letter.lastFailedAt);
  if (filter.since !== undefined && !(failedAt >= filter.since.getTime())) return false;
  if (filter.until !== undefined && !(failedAt < filter.until.getTime())) return false;
  return true;
}
