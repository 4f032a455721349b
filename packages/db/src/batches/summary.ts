import type { PrismaClient, PushStatus } from '../generated/prisma/client.ts';
import { type ArchiveCounts, toArchiveCounts } from './status-counts.ts';

/** Counts of a batch's pushes still in the main queue, which the archive cannot see before a first attempt. */
export interface QueueCounts {
  waiting: number;
  delayed: number;
  active: number;
  /** False when the counts are lower bounds. */
  complete: boolean;
}

/** One push of a batch and the student it concerns. Personal data is not included. */
export interface BatchPush {
  pushId: string;
  /** xh as sent in the push. */
  studentNo: string;
  /** The student's number now, when the push was applied and the student was re-keyed since; otherwise null. */
  currentStudentNo: string | null;
  operation: string;
  changedAt: Date;
  status: PushStatus;
  attempts: number;
  lastErrorCode: string | null;
}

export interface BatchSummary {
  batchNo: string;
  archive: ArchiveCounts;
  /** Present when a queue counter was given. */
  queue?: QueueCounts;
  firstReceivedAt: Date | null;
  lastReceivedAt: Date | null;
  /** Distinct student numbers the batch's pushes used. */
  studentCount: number;
  /** The batch's pushes in change-time order, at most `pushLimit`. */
  pushes: BatchPush[];
}

export interface BatchSummaryOptions {
  /** Most pushes listed; the counts always cover every push. Defaults to 1000. */
  pushLimit?: number;
  /** Counts the batch's jobs in the main queue, e.g. `(batchNo) => countQueuedBatch(queue, batchNo)`. */
  countQueued?: (batchNo: string) => Promise<QueueCounts>;
}

/**
 * True when no push ever carried the batch number: nothing archived and, by a complete scan,
 * nothing waiting in the main queue. Without queue counts only the archive is looked at.
 */
export function isUnknownBatch(summary: BatchSummary): boolean {
  const queue = summary.queue;
  const queued = queue ? queue.waiting + queue.delayed + queue.active : 0;
  return summary.archive.total === 0 && queued === 0 && queue?.complete !== false;
}

/** Reads what happened to the pushes of batch `batchNo` (bg_pch); a batch with no archived push has zero counts. */
export async function getBatchSummary(prisma: PrismaClient, batchNo: string, options: BatchSummaryOptions = {}): Promise<BatchSummary> {
  const where = { batchNo };
  const [groups, range, students, pushes, queue] = await Promise.all([
    prisma.pushArchive.groupBy({ by: ['status'], where, _count: { _all: true } }),
    prisma.pushArchive.aggregate({ where, _min: { receivedAt: true }, _max: { receivedAt: true } }),
    prisma.$queryRaw<Array<{ students: bigint }>>`SELECT count(DISTINCT student_no) AS students FROM push_archive WHERE batch_no = ${batchNo}`,
    readPushes(prisma, batchNo, options.pushLimit ?? 1_000),
    options.countQueued?.(batchNo),
  ]);

  return {
    batchNo,
    archive: toArchiveCounts(groups.map((group) => ({ status: group.status, count: group._count._all }))),
    ...(queue === undefined ? {} : { queue }),
    firstReceivedAt: range._min.receivedAt,
    lastReceivedAt: range._max.receivedAt,
    studentCount: Number(students[0]?.students ?? 0),
    pushes,
  };
}

async function readPushes(prisma: PrismaClient, batchNo: string, limit: number): Promise<BatchPush[]> {
  const rows = await prisma.pushArchive.findMany({
    where: { batchNo },
    orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: {
      id: true,
      studentNo: true,
      operation: true,
      changedAt: true,
      status: true,
      attempts: true,
      lastErrorCode: true,
      changes: { take: 1, select: { student: { select: { studentNo: true } } } },
    },
  });
  return rows.map((row) => {
    const current = row.changes[0]?.student.studentNo ?? null;
    return {
      pushId: String(row.id),
      studentNo: row.studentNo,
      currentStudentNo: current === row.studentNo ? null : current,
      operation: row.operation,
      changedAt: row.changedAt,
      status: row.status,
      attempts: row.attempts,
      lastErrorCode: row.lastErrorCode,
    };
  });
}
