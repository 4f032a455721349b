import type { PrismaClient } from '../generated/prisma/client.ts';

const PAGE_SIZE = 500;

/**
 * Reads every archived push of batch `batchNo` (sealed bodies included), in archive order,
 * one page at a time, so a large batch never sits in memory at once.
 */
export async function* readBatchPushes(prisma: PrismaClient, batchNo: string) {
  let after: bigint | undefined;
  for (;;) {
    const page = await prisma.pushArchive.findMany({
      where: { batchNo, ...(after === undefined ? {} : { id: { gt: after } }) },
      orderBy: { id: 'asc' },
      take: PAGE_SIZE,
      select: {
        id: true,
        idempotencyKey: true,
        appKey: true,
        requestId: true,
        receivedAt: true,
        batchNo: true,
        studentNo: true,
        operation: true,
        changedAt: true,
        bodySealed: true,
        status: true,
      },
    });
    yield* page;
    if (page.length < PAGE_SIZE) return;
    after = page.at(-1)!.id;
  }
}

/** Counts the archived pushes of batch `batchNo`. */
export function countBatchPushes(prisma: PrismaClient, batchNo: string): Promise<number> {
  return prisma.pushArchive.count({ where: { batchNo } });
}
