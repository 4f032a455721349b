import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/index.ts';
import { createPrismaClient } from './client.ts';
import { ChangeOutcome, PushStatus, SignScheme, type PrismaClient } from './index.ts';

const changedAt = new Date('2024-09-01T08:00:00.000Z');

describe('Prisma client on the migrated schema', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  it('round-trips an ApiClient', async () => {
    const created = await prisma.apiClient.create({
      data: { appKey: 'client-test', name: '测试渠道', signKeySealed: 'k1:sealed', signScheme: SignScheme.HMAC_SM3 },
    });

    const found = await prisma.apiClient.findUniqueOrThrow({ where: { appKey: 'client-test' } });
    expect(found).toEqual(created);
    expect(found.signScheme).toBe('HMAC_SM3');
    expect(found.enabled).toBe(true);
    expect(found.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('round-trips a PushArchive row', async () => {
    const push = await prisma.pushArchive.create({
      data: {
        idempotencyKey: 'client-test:abc',
        appKey: 'client-test',
        batchNo: 'B1',
        studentNo: '2024001',
        operation: 'ADD',
        changedAt,
        bodySealed: 'k1:body',
        receivedAt: changedAt,
      },
    });

    const found = await prisma.pushArchive.findUniqueOrThrow({ where: { idempotencyKey: 'client-test:abc' } });
    expect(typeof found.id).toBe('bigint');
    expect(found).toEqual(push);
    expect(found.status).toBe(PushStatus.RECEIVED);
  });

  it('round-trips student, alias and change', async () => {
    const push = await prisma.pushArchive.findUniqueOrThrow({ where: { idempotencyKey: 'client-test:abc' } });
    await prisma.student.create({
      data: {
        studentNo: '2024001',
        studentNoVersion: '20240901160000:abc',
        name: '张三',
        lastChangedAt: changedAt,
        aliases: { create: { studentNo: '2023999' } },
        changes: {
          create: {
            pushId: push.id,
            detailIndex: 0,
            changeType: 'KZ_BJ_ID',
            afterCode: 'C01',
            afterName: '一班',
            changedAt,
            outcome: ChangeOutcome.APPLIED,
            batchNo: 'B1',
          },
        },
      },
    });

    const alias = await prisma.studentAlias.findUniqueOrThrow({ where: { studentNo: '2023999' }, include: { student: true } });
    expect(alias.student.studentNo).toBe('2024001');
    const change = await prisma.studentChange.findUniqueOrThrow({
      where: { pushId_detailIndex: { pushId: push.id, detailIndex: 0 } },
      include: { student: true, push: true },
    });
    expect(change.student.name).toBe('张三');
    expect(change.push.idempotencyKey).toBe('client-test:abc');
    expect(change.outcome).toBe('APPLIED');
    expect(change.changedAt).toEqual(changedAt);
  });

  it('student delete cascades to children', async () => {
    await prisma.student.delete({ where: { studentNo: '2024001' } });

    expect(await prisma.studentAlias.count()).toBe(0);
    expect(await prisma.studentChange.count()).toBe(0);
    expect(await prisma.pushArchive.count()).toBe(1);
  });
});
