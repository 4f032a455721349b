import type { PrismaClient } from '../generated/prisma/client.ts';
import { type ArchiveCounts, toArchiveCounts } from './status-counts.ts';

/** One batch (bg_pch) in the batch list. */
export interface BatchListItem {
  batchNo: string;
  archive: ArchiveCounts;
  firstReceivedAt: Date;
  lastReceivedAt: Date;
}

export interface ListBatchesOptions {
  /** Defaults to 50. */
  limit?: number;
  offset?: number;
}

interface BatchRow {
  batch_no: string;
  received: bigint;
  applied: bigint;
  retrying: bigint;
  dead: bigint;
  total: bigint;
  first_received_at: Date;
  last_received_at: Date;
}

/**
 * Lists batches with their push counts, the batch whose newest push arrived last first.
 * Pushes without a batch number are not listed.
 */
export async function listBatches(prisma: PrismaClient, options: ListBatchesOptions = {}): Promise<BatchListItem[]> {
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  // One grouped scan; Prisma's groupBy cannot count per status within a group.
  const rows = await prisma.$queryRaw<BatchRow[]>`
    SELECT batch_no,
           count(*) FILTER (WHERE status = 'RECEIVED') AS received,
           count(*) FILTER (WHERE status = 'APPLIED') AS applied,
           count(*) FILTER (WHERE status = 'RETRYING') AS retrying,
           count(*) FILTER (WHERE status = 'DEAD') AS dead,
           count(*) AS total,
           min(received_at) AS first_received_at,
           max(received_at) AS last_received_at
      FROM push_archive
     WHERE batch_no IS NOT NULL
     GROUP BY batch_no
     ORDER BY max(received_at) DESC, batch_no
     LIMIT ${limit} OFFSET ${offset}`;

  return rows.map((row) => ({
    batchNo: row.batch_no,
    archive: {
      total: Number(row.total),
      received: Number(row.received),
      applied: Number(row.applied),
      retrying: Number(row.retrying),
      dead: Number(row.dead),
    },
    firstReceivedAt: row.first_received_at,
    lastReceivedAt: row.last_received_at,
  }));
}

/** Counts archived pushes without a batch number (bg_pch is optional), which listBatches leaves out. */
export async function countUnbatchedPushes(prisma: PrismaClient): Promise<ArchiveCounts> {
  const groups = await prisma.pushArchive.groupBy({ by: ['status'], where: { batchNo: null }, _count: { _all: true } });
  return toArchiveCounts(groups.map((group) => ({ status: group.status, count: group._count._all })));
}
