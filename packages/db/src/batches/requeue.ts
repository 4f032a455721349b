import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Marks DEAD archived pushes as RECEIVED when a replay or re-drive queues them again, so the
 * batch view stops counting them as dead. Rows in any other status are left alone. Returns
 * how many rows changed.
 */
export async function markRequeued(prisma: PrismaClient, idempotencyKeys: string[]): Promise<number> {
  if (idempotencyKeys.length === 0) return 0;
  const { count } = await prisma.pushArchive.updateMany({
    where: { idempotencyKey: { in: idempotencyKeys }, status: 'DEAD' },
    data: { status: 'RECEIVED' },
  });
  return count;
}
