import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/index.ts';
import { createPrismaClient } from '../client.ts';
import type { PrismaClient, PushStatus } from '../generated/prisma/client.ts';
import { countBatchPushes, getBatchSummary, listBatches, markRequeued, readBatchPushes } from './index.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let sequence = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  await archive('OLD', 'A-1', 'APPLIED', '2024-09-01T00:00:00Z');
  await archive('NEW', 'B-1', 'APPLIED', '2024-09-02T00:00:00Z');
  await archive('NEW', 'B-1', 'RETRYING', '2024-09-02T00:01:00Z');
  await archive('NEW', 'B-2', 'DEAD', '2024-09-02T00:02:00Z');
  await archive('NEW', 'B-3', 'RECEIVED', '2024-09-02T00:03:00Z');
  await archive(null, 'C-1', 'APPLIED', '2024-09-03T00:00:00Z');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

async function archive(batchNo: string | null, studentNo: string, status: PushStatus, receivedAt: string) {
  sequence += 1;
  await prisma.pushArchive.create({
    data: {
      idempotencyKey: `efutong:${String(sequence).padStart(64, '0')}`,
      appKey: 'efutong',
      batchNo,
      studentNo,
      operation: 'UPDATE',
      changedAt: new Date(receivedAt),
      bodySealed: `sealed-${sequence}`,
      status,
      lastErrorCode: status === 'DEAD' ? 'DATABASE_ERROR' : null,
      receivedAt: new Date(receivedAt),
    },
  });
}

describe('batch view', () => {
  it('summary counts each status', async () => {
    const summary = await getBatchSummary(prisma, 'NEW', {
      countQueued: async () => ({ waiting: 1, delayed: 2, active: 0, complete: true }),
    });
    expect(summary.archive).toEqual({ total: 4, received: 1, applied: 1, retrying: 1, dead: 1 });
    expect(summary.queue).toEqual({ waiting: 1, delayed: 2, active: 0, complete: true });
    expect(summary.studentCount).toBe(3);
    expect(summary.firstReceivedAt?.toISOString()).toBe('2024-09-02T00:00:00.000Z');
    expect(summary.pushes.map((push) => [push.studentNo, push.status, push.lastErrorCode])).toEqual([
      ['B-1', 'APPLIED', null],
      ['B-1', 'RETRYING', null],
      ['B-2', 'DEAD', 'DATABASE_ERROR'],
      ['B-3', 'RECEIVED', null],
    ]);
  });

  it('summary of unknown batch is empty', async () => {
    const summary = await getBatchSummary(prisma, 'NONE');
    expect(summary.archive.total).toBe(0);
    expect(summary.pushes).toEqual([]);
    expect(summary.queue).toBeUndefined();
  });

  it('push list respects the limit', async () => {
    expect((await getBatchSummary(prisma, 'NEW', { pushLimit: 2 })).pushes).toHaveLength(2);
  });

  it('batch list is newest first', async () => {
    const batches = await listBatches(prisma);
    expect(batches.map((batch) => [batch.batchNo, batch.archive.total, batch.archive.dead])).toEqual([
      ['NEW', 4, 1],
      ['OLD', 1, 0],
    ]);
    expect((await listBatches(prisma, { limit: 1, offset: 1 })).map((batch) => batch.batchNo)).toEqual(['OLD']);
  });

  it('reads every push of a batch', async () => {
    const pushes = [];
    for await (const push of readBatchPushes(prisma, 'NEW')) pushes.push(push);
    expect(pushes.map((push) => push.studentNo)).toEqual(['B-1', 'B-1', 'B-2', 'B-3']);
    expect(await countBatchPushes(prisma, 'NEW')).toBe(4);
  });

  it('markRequeued changes only dead rows', async () => {
    const rows = await prisma.pushArchive.findMany({ where: { batchNo: 'NEW' }, select: { idempotencyKey: true } });
    expect(await markRequeued(prisma, rows.map((row) => row.idempotencyKey))).toBe(1);
    expect((await getBatchSummary(prisma, 'NEW')).archive).toEqual({ total: 4, received: 2, applied: 1, retrying: 1, dead: 0 });
  });
});
