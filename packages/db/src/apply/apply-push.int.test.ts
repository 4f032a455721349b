import { createHash } from 'node:crypto';
import { ApplyError, MemoryStudentStore, parsePush } from '@student-sync/domain';
import { cardChange, classChange, numberChange, pushBody, type PushBodyFields, statusChange } from '@student-sync/domain/testing';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testKeys } from '../../../../tests/support/index.ts';
import { createPrismaClient } from '../client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { applyPush, type ApplyDependencies, type ArchivedPush, recordFailedAttempt } from './index.ts';

const APP_KEY = 'efutong';
let database: TestDatabase;
let prisma: PrismaClient;
let deps: ApplyDependencies;

beforeAll(async () => {
  database = await createTestDatabase();
  // The session time zone must not matter: bg_sj is GMT+8 and versions compare as text.
  const url = new URL(database.url);
  url.searchParams.set('options', '-c TimeZone=America/New_York');
  prisma = createPrismaClient({ databaseUrl: url.toString(), poolSize: 8 });
  const keys = testKeys();
  deps = { prisma, keyring: Keyring.parse(keys.PII_ENCRYPTION_KEYS), hasher: KeyedHasher.parse(keys.PII_HASH_KEY) };
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

function archivedFor(raw: string): ArchivedPush {
  const push = parsePush(raw);
  return {
    idempotencyKey: `${APP_KEY}:${push.bodySha256}`,
    appKey: APP_KEY,
    requestId: 'req-test',
    receivedAt: new Date(),
    batchNo: push.batchNo,
    studentNo: push.studentNo,
    operation: push.operation,
    changedAt: new Date(),
    bodySealed: deps.keyring.seal(raw),
  };
}

async function apply(fields: PushBodyFields, attempt = 1) {
  const raw = pushBody(fields);
  return applyPush(deps, archivedFor(raw), parsePush(raw), attempt);
}

async function studentByNumber(studentNo: string) {
  return prisma.student.findUniqueOrThrow({ where: { studentNo }, include: { aliases: true, changes: { orderBy: { id: 'asc' } } } });
}

async function expectApplyError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplyError);
  expect((error as ApplyError).code).toBe(code);
}

describe('applyPush', () => {
  it('session time zone is not GMT+8', async () => {
    const rows = await prisma.$queryRaw<Array<{ TimeZone: string }>>`SHOW TimeZone`;
    expect(rows[0]?.TimeZone).toBe('America/New_York');
  });

  it('old number after re-key finds student', async () => {
    await apply({ xh: 'RK-1', bg_sj: '20240901080000', cz_lx: 'ADD', xm: '李四', bg_mx_list: [classChange('C1')] });
    await apply({ xh: 'RK-2', bg_sj: '20240902080000', bg_mx_list: [numberChange('RK-1', 'RK-2')] });
    const result = await apply({ xh: 'RK-1', bg_sj: '20240903080000', bg_mx_list: [classChange('C3')] });

    const student = await studentByNumber('RK-2');
    expect(result).toMatchObject({ status: 'applied', studentId: student.id });
    expect(student.classCode).toBe('C3');
    expect(student.aliases.map((alias) => alias.studentNo)).toEqual(['RK-1']);
    expect(student.changes.map((change) => [change.changeType, change.outcome])).toEqual([
      ['KZ_BJ_ID', 'APPLIED'],
      ['XH', 'APPLIED'],
      ['KZ_BJ_ID', 'APPLIED'],
    ]);
    expect(await prisma.student.count({ where: { studentNo: { in: ['RK-1', 'RK-2'] } } })).toBe(1);
  });

  it('UPDATE before ADD applies on retry', async () => {
    const updateRaw = pushBody({ xh: 'UA-1', bg_sj: '20240902080000', bg_mx_list: [statusChange('02', '休学')] });
    const update = archivedFor(updateRaw);
    await expectApplyError(applyPush(deps, update, parsePush(updateRaw), 1), 'STUDENT_NOT_FOUND');
    await recordFailedAttempt(prisma, update, { status: 'RETRYING', attempts: 1, errorCode: 'STUDENT_NOT_FOUND', errorMessage: 'not yet' });

    const retrying = await prisma.pushArchive.findUniqueOrThrow({ where: { idempotencyKey: update.idempotencyKey } });
    expect([retrying.status, retrying.attempts, retrying.lastErrorCode]).toEqual(['RETRYING', 1, 'STUDENT_NOT_FOUND']);
    expect(retrying.bodySealed).toBe(update.bodySealed);

    await apply({ xh: 'UA-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [statusChange('01', '在读')] });
    await applyPush(deps, update, parsePush(updateRaw), 2);

    const applied = await prisma.pushArchive.findUniqueOrThrow({ where: { idempotencyKey: update.idempotencyKey } });
    expect([applied.status, applied.attempts]).toEqual(['APPLIED', 2]);
    expect(applied.appliedAt).not.toBeNull();
    expect((await studentByNumber('UA-1')).statusCode).toBe('02');
  });

  it('same push twice applies once', async () => {
    await apply({ xh: 'DUP-1', bg_sj: '20240901080000', cz_lx: 'ADD' });
    const fields = { xh: 'DUP-1', bg_sj: '20240902080000', bg_mx_list: [classChange('C2'), statusChange('01', '在读')] };
    const first = await apply(fields);
    const before = await studentByNumber('DUP-1');
    const second = await apply(fields, 2);
    const after = await studentByNumber('DUP-1');

    expect(first.status).toBe('applied');
    expect(second).toEqual({ status: 'already-applied', pushId: first.pushId });
    expect(after.changes).toHaveLength(before.changes.length);
    expect(after.updatedAt).toEqual(before.updatedAt);
    const archive = await prisma.pushArchive.findUniqueOrThrow({ where: { id: first.pushId } });
    expect(archive.attempts).toBe(1);
  });

  it('unknown bg_lx kept as IGNORED', async () => {
    await apply({ xh: 'UK-1', bg_sj: '20240901080000', cz_lx: 'ADD' });
    const result = await apply({ xh: 'UK-1', bg_sj: '20240902080000', bg_mx_list: [{ bg_lx: 'KZ_ZY', bgq_dm: 'M1', bgh_dm: 'M2', bgh_mc: '软件工程' }] });

    expect(result).toMatchObject({ status: 'applied', changes: [{ changeType: 'KZ_ZY', outcome: 'IGNORED', count: 1 }] });
    const change = (await studentByNumber('UK-1')).changes.at(-1)!;
    expect([change.changeType, change.afterCode, change.afterName, change.outcome]).toEqual(['KZ_ZY', 'M2', '软件工程', 'IGNORED']);
  });

  it('bg_sj across GMT+8 midnight orders changes', async () => {
    // 00:05 on 2 Sep in GMT+8 is 16:05 UTC on 1 Sep, and 12:05 on 1 Sep in New York.
    await apply({ xh: 'TZ-1', bg_sj: '20240901120000', cz_lx: 'ADD', bg_mx_list: [classChange('C0')] });
    await apply({ xh: 'TZ-1', bg_sj: '20240902000500', bg_mx_list: [classChange('AFTER-MIDNIGHT')] });
    await apply({ xh: 'TZ-1', bg_sj: '20240901235500', bg_mx_list: [classChange('BEFORE-MIDNIGHT')] });

    const student = await studentByNumber('TZ-1');
    expect(student.classCode).toBe('AFTER-MIDNIGHT');
    expect(student.classVersion?.startsWith('20240902000500:')).toBe(true);
    expect(student.lastChangedAt.toISOString()).toBe('2024-09-01T16:05:00.000Z');
    expect(student.changes.map((change) => [change.changedAt.toISOString(), change.outcome])).toEqual([
      ['2024-09-01T04:00:00.000Z', 'APPLIED'],
      ['2024-09-01T16:05:00.000Z', 'APPLIED'],
      ['2024-09-01T15:55:00.000Z', 'SUPERSEDED'],
    ]);
  });

  it('re-key onto taken number conflicts', async () => {
    await apply({ xh: 'CF-1', bg_sj: '20240901080000', cz_lx: 'ADD' });
    await apply({ xh: 'CF-2', bg_sj: '20240901080000', cz_lx: 'ADD' });
    await expectApplyError(apply({ xh: 'CF-2', bg_sj: '20240902080000', bg_mx_list: [numberChange('CF-1', 'CF-2')] }), 'STUDENT_NO_CONFLICT');
    expect((await studentByNumber('CF-1')).studentNoVersion.startsWith('20240901080000:')).toBe(true);
  });

  it('personal data stored only protected', async () => {
    const card = '6217000010001234567';
    const idNumber = '11010519491231002X';
    await apply({ xh: 'PII-1', bg_sj: '20240901080000', cz_lx: 'ADD', sfzh: idNumber, bg_mx_list: [cardChange('', card)] });

    const student = await studentByNumber('PII-1');
    expect(deps.keyring.open(student.bankCardSealed!)).toBe(card);
    expect(student.bankCardHash).toBe(deps.hasher.hash(card));
    expect(student.bankCardMasked).toBe('6217***********4567');
    expect(deps.keyring.open(student.idNumberSealed!)).toBe(idNumber);
    expect(student.idNumberMasked).toBe('110105********002X');
    const stored = JSON.stringify([student, await prisma.pushArchive.findMany()], (_key, value) => (typeof value === 'bigint' ? String(value) : value));
    expect(stored).not.toContain(card);
    expect(stored).not.toContain(idNumber);
  });

  it('unchanged ID number is not resealed', async () => {
    const idNumber = '11010519491231003X';
    await apply({ xh: 'PII-2', bg_sj: '20240901080000', cz_lx: 'ADD', sfzh: idNumber });
    const before = await studentByNumber('PII-2');
    await apply({ xh: 'PII-2', bg_sj: '20240902080000', sfzh: idNumber, bg_mx_list: [classChange('C9')] });

    const after = await studentByNumber('PII-2');
    expect(after.classCode).toBe('C9');
    // Each seal draws a fresh IV, so an unchanged sealed value shows the number was not sealed again.
    expect(after.idNumberSealed).toBe(before.idNumberSealed);
    expect(after.idNumberHash).toBe(before.idNumberHash);
  });

  it('changed ID number is resealed', async () => {
    await apply({ xh: 'PII-3', bg_sj: '20240901080000', cz_lx: 'ADD', sfzh: '110105194912310041' });
    await apply({ xh: 'PII-3', bg_sj: '20240902080000', sfzh: '110105194912310068' });

    const student = await studentByNumber('PII-3');
    expect(deps.keyring.open(student.idNumberSealed!)).toBe('110105194912310068');
    expect(student.idNumberMasked).toBe('110105********0068');
  });

  it('concurrent pushes reach bg_sj-order state', async () => {
    const bodies = [
      pushBody({ xh: 'CC-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [classChange('C0')] }),
      pushBody({ xh: 'CC-2', bg_sj: '20240902075959', bg_mx_list: [numberChange('CC-1', 'CC-2')] }),
      ...Array.from({ length: 12 }, (_, index) =>
        pushBody({ xh: index % 2 ? 'CC-2' : 'CC-1', bg_sj: `202409020800${String(index).padStart(2, '0')}`, xm: `名${index}`, bg_mx_list: [classChange(`C${index}`), statusChange(`0${index % 7}`, `状态${index}`)] }),
      ),
    ];
    // The bodies are listed in bg_sj order, which is the order the reference applies them in.
    const reference = new MemoryStudentStore();
    for (const raw of bodies) reference.apply(raw);

    await applyPush(deps, archivedFor(bodies[0]!), parsePush(bodies[0]!), 1);
    await Promise.all(bodies.slice(1).reverse().map((raw) => applyWithRetry(raw)));

    const expected = reference.snapshot().get('CC-2')!;
    const student = await studentByNumber('CC-2');
    expect([student.classCode, student.statusCode, student.name]).toEqual([expected.classCode, expected.statusCode, expected.name]);
    expect(student.classVersion).toBe(expected.versions.class);
    expect(student.changes).toHaveLength(bodies.length * 2 - 2);
  });
});

/** Retries STUDENT_NOT_FOUND a bounded number of times, as the queue would. */
async function applyWithRetry(raw: string): Promise<void> {
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    try {
      await applyPush(deps, archivedFor(raw), parsePush(raw), attempt);
      return;
    } catch (error) {
      if (!(error instanceof ApplyError) || error.code !== 'STUDENT_NOT_FOUND') throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error(`push ${createHash('sha256').update(raw).digest('hex')} never found its student`);
}
