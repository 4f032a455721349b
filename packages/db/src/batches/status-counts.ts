import type { PushStatus } from '../generated/prisma/client.ts';

/** Archived pushes of a batch by status. */
export interface ArchiveCounts {
  /** Every archived push of the batch. */
  total: number;
  /** Archived, not yet applied and not failed: first attempt running, or queued again by a replay. */
  received: number;
  applied: number;
  /** Failed at least once, more attempts left. */
  retrying: number;
  /** Failed for good, in the dead-letter queue. */
  dead: number;
}

const FIELD: Record<PushStatus, keyof Omit<ArchiveCounts, 'total'>> = {
  RECEIVED: 'received',
  APPLIED: 'applied',
  RETRYING: 'retrying',
  DEAD: 'dead',
};

/** Sums status groups into counts. */
export function toArchiveCounts(groups: Array<{ status: PushStatus; count: number }>): ArchiveCounts {
  const counts: ArchiveCounts = { total: 0, received: 0, applied: 0, retrying: 0, dead: 0 };
  for (const { status, count } of groups) {
    counts[FIELD[status]] += count;
    counts.total += count;
  }
  return counts;
}
