import { ApplyError, parsePush } from '@student-sync/domain';
import { buildPushBodies, classChange, numberChange, pushBody, type PushBodyFields, shuffledWithDuplicates, studentPlans } from '@student-sync/domain/testing';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testKeys } from '../../../../tests/support/index.ts';
import { applyPush, type ApplyDependencies, type ArchivedPush } from '../apply/index.ts';
import { lockStudentNumbers } from '../apply/number-locks.ts';
import { createPrismaClient } from '../client.ts';
import { applyPushBatch, BatchApplier, type BatchItem, type BatchOutcome } from './index.ts';
import { STUDENT_NO_LOCK_SPACE } from './number-locks.ts';
import { lockKeyOf } from '../apply/number-locks.ts';

const APP_KEY = 'efutong';
const keys = testKeys();
const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
const hasher = KeyedHasher.parse(keys.PII_HASH_KEY);
const databases: TestDatabase[] = [];
let single: ApplyDependencies;
let batch: ApplyDependencies;

beforeAll(async () => {
  databases.push(await createTestDatabase(), await createTestDatabase());
  single = { prisma: createPrismaClient({ databaseUrl: databases[0]!.url, poolSize: 4 }), keyring, hasher };
  batch = { prisma: createPrismaClient({ databaseUrl: databases[1]!.url, poolSize: 4 }), keyring, hasher };
});

afterAll(async () => {
  await single?.prisma.$disconnect();
  await batch?.prisma.$disconnect();
  for (const database of databases) await database.drop();
});

function itemFor(raw: string, attempt = 1): BatchItem {
  const push = parsePush(raw);
  const archived: ArchivedPush = {
    idempotencyKey: `${APP_KEY}:${push.bodySha256}`,
    appKey: APP_KEY,
    requestId: null,
    receivedAt: new Date('2024-09-01T00:00:00Z'),
    batchNo: push.batchNo,
    studentNo: push.studentNo,
    operation: push.operation,
    changedAt: new Date('2024-09-01T00:00:00Z'),
    bodySealed: keyring.seal(raw),
  };
  return { archived, push, attempt };
}

/** Applies items one by one with applyPush, as a worker without groups would. */
async function applySingly(items: BatchItem[]): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const item of items) {
    try {
      outcomes.push({ ok: true, result: await applyPush(single, item.archived, item.push, item.attempt) });
    } catch (error) {
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}

/** Outcome without database ids, which differ between the two databases. */
function summary(outcome: BatchOutcome): string {
  if (!outcome.ok) return outcome.error instanceof ApplyError ? `error ${outcome.error.code}` : `error ${String(outcome.error)}`;
  return outcome.result.status === 'applied' ? `applied created=${outcome.result.created} ${JSON.stringify(outcome.result.changes)}` : 'already-applied';
}

/** Reads every stored fact about students whose numbers start with `prefix`, without ids, times or random seals. */
async function snapshot(deps: ApplyDependencies, prefix: string) {
  const students = await deps.prisma.student.findMany({
    where: { studentNo: { startsWith: prefix } },
    include: { aliases: { orderBy: { studentNo: 'asc' } }, changes: { include: { push: true }, orderBy: [{ pushId: 'asc' }, { detailIndex: 'asc' }] } },
    orderBy: { studentNo: 'asc' },
  });
  return students.map(({ id: _id, createdAt: _c, updatedAt: _u, idNumberSealed, bankCardSealed, aliases, changes, ...columns }) => ({
    ...columns,
    idNumber: idNumberSealed === null ? null : keyring.open(idNumberSealed),
    bankCard: bankCardSealed === null ? null : keyring.open(bankCardSealed),
    aliases: aliases.map((alias) => alias.studentNo),
    changes: changes
      .map((change) => `${change.push.idempotencyKey}#${change.detailIndex} ${change.changeType} ${change.afterCode} ${change.outcome}`)
      .sort(),
  }));
}

/**
 * Reads the archive rows of the items, except RECEIVED ones. A push that fails a rule keeps the
 * row its group inserted, while applyPush rolls it back. The worker records the failure either way.
 */
async function archiveStates(deps: ApplyDependencies, items: BatchItem[]) {
  const rows = await deps.prisma.pushArchive.findMany({
    where: { idempotencyKey: { in: items.map((item) => item.archived.idempotencyKey) }, status: { not: 'RECEIVED' } },
  });
  return rows.map((row) => `${row.idempotencyKey} ${row.status} ${row.attempts}`).sort();
}

describe('applyPushBatch', () => {
  it('matches applyPush one by one', { timeout: 180_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        studentPlans({ maxStudents: 4, maxSteps: 6 }).chain((plans) => {
          const prefix = `B${run++}-`;
          return shuffledWithDuplicates(buildPushBodies(plans, prefix)).map((bodies) => ({ prefix, bodies }));
        }),
        fc.integer({ min: 1, max: 7 }),
        async ({ prefix, bodies }, groupSize) => {
          const items = bodies.map((body) => itemFor(body));
          const expected = await applySingly(items);
          const actual: BatchOutcome[] = [];
          for (let start = 0; start < items.length; start += groupSize) {
            actual.push(...(await applyPushBatch(batch, items.slice(start, start + groupSize))));
          }

          expect(actual.map(summary)).toEqual(expected.map(summary));
          expect(await snapshot(batch, prefix)).toEqual(await snapshot(single, prefix));
          expect(await archiveStates(batch, items)).toEqual(await archiveStates(single, items));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('failing push leaves others applied', async () => {
    const items = [
      itemFor(pushBody({ xh: 'F-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [classChange('C1')] })),
      itemFor(pushBody({ xh: 'F-missing', bg_sj: '20240901080000', bg_mx_list: [classChange('C2')] })),
      itemFor(pushBody({ xh: 'F-1', bg_sj: '20240902080000', bg_mx_list: [classChange('C3')] })),
    ];
    const outcomes = await applyPushBatch(batch, items);

    expect(outcomes.map(summary)).toEqual([
      'applied created=true [{"changeType":"KZ_BJ_ID","outcome":"APPLIED","count":1}]',
      'error STUDENT_NOT_FOUND',
      'applied created=false [{"changeType":"KZ_BJ_ID","outcome":"APPLIED","count":1}]',
    ]);
    const student = await batch.prisma.student.findUniqueOrThrow({ where: { studentNo: 'F-1' } });
    expect(student.classCode).toBe('C3');
    const missing = await batch.prisma.pushArchive.findUniqueOrThrow({ where: { idempotencyKey: items[1]!.archived.idempotencyKey } });
    expect(missing.status).toBe('RECEIVED');
  });

  it('same push twice in a group applies once', async () => {
    const item = itemFor(pushBody({ xh: 'D-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [classChange('C1')] }));
    const outcomes = await applyPushBatch(batch, [item, { ...item, attempt: 2 }]);

    expect(outcomes.map(summary)).toEqual(['applied created=true [{"changeType":"KZ_BJ_ID","outcome":"APPLIED","count":1}]', 'already-applied']);
    expect(await batch.prisma.studentChange.count({ where: { student: { studentNo: 'D-1' } } })).toBe(1);
  });

  it('group past its timeout rolls back', async () => {
    const item = itemFor(pushBody({ xh: 'T-1', bg_sj: '20240901080000', cz_lx: 'ADD' }));
    const deps = { ...batch, transactionTimeoutMs: 300 };
    let error: unknown;
    await batch.prisma.$transaction(async (tx) => {
      // The group waits for this number lock until its time limit ends.
      await lockStudentNumbers(tx, ['T-1']);
      error = await applyPushBatch(deps, [item]).then(() => undefined, (caught: unknown) => caught);
    });

    expect((error as Error).name).toBe('TransactionTimeoutError');
    expect(await batch.prisma.pushArchive.count({ where: { idempotencyKey: item.archived.idempotencyKey } })).toBe(0);
    expect((await applyPushBatch(batch, [item])).map(summary)).toEqual(['applied created=true []']);
  });

  it('group waits for single-push number locks', async () => {
    const key = lockKeyOf('L-1');
    await batch.prisma.$transaction(async (tx) => {
      await lockStudentNumbers(tx, ['L-1']);
      const other = await batch.prisma.$queryRaw<Array<{ locked: boolean }>>`
        SELECT pg_try_advisory_xact_lock(${STUDENT_NO_LOCK_SPACE}::int4, ${key}::int4) AS locked`;
      expect(other[0]?.locked).toBe(false);
    });
  });
});

describe('BatchApplier', () => {
  async function applyAll(applier: BatchApplier, fields: PushBodyFields[]) {
    return Promise.allSettled(fields.map((f) => {
      const item = itemFor(pushBody(f));
      return applier.apply(item.archived, item.push, item.attempt);
    }));
  }

  it('settles each push like applyPush', async () => {
    const applier = new BatchApplier(batch, { maxBatchSize: 3, maxConcurrentBatches: 1 });
    const settled = await applyAll(applier, [
      { xh: 'G-1', bg_sj: '20240901080000', cz_lx: 'ADD' },
      { xh: 'G-2', bg_sj: '20240901080000', cz_lx: 'ADD' },
      { xh: 'G-none', bg_sj: '20240901080000' },
      { xh: 'G-1', bg_sj: '20240902080000', bg_mx_list: [classChange('C9')] },
      { xh: 'G-2', bg_sj: '20240902080000', bg_mx_list: [numberChange('G-2', 'G-3')] },
    ]);

    expect(settled.map((entry) => entry.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(((settled[2] as PromiseRejectedResult).reason as ApplyError).code).toBe('STUDENT_NOT_FOUND');
    expect((await batch.prisma.student.findUniqueOrThrow({ where: { studentNo: 'G-1' } })).classCode).toBe('C9');
    expect(await batch.prisma.student.findUnique({ where: { studentNo: 'G-3' } })).not.toBeNull();
  });

  it('failed group applied push by push', async () => {
    const failures: number[] = [];
    const applier = new BatchApplier(batch, { maxBatchSize: 10, maxConcurrentBatches: 1, onGroupFailed: (_error, size) => failures.push(size) });
    await applyAll(applier, [
      { xh: 'S-1', bg_sj: '20240901080000', cz_lx: 'ADD' },
      { xh: 'S-2', bg_sj: '20240901080000', cz_lx: 'ADD' },
    ]);
    const before = await batch.prisma.student.findMany({ where: { studentNo: { in: ['S-1', 'S-2'] } }, orderBy: { studentNo: 'asc' } });
    // S-1 and S-2 swap numbers through the spare S-T, in one group. Whichever of the two rows
    // the update statement writes first takes a number the other row still has, so the unique
    // index fails mid-statement, the group fails and its pushes are applied one by one.
    const settled = await applyAll(applier, [
      { xh: 'S-1', bg_sj: '20240902080000', bg_mx_list: [numberChange('S-1', 'S-T')] },
      { xh: 'S-2', bg_sj: '20240902090000', bg_mx_list: [numberChange('S-2', 'S-1')] },
      { xh: 'S-T', bg_sj: '20240902100000', bg_mx_list: [numberChange('S-T', 'S-2')] },
    ]);

    expect(settled.map((entry) => entry.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(failures).toEqual([3]);
    const after = await batch.prisma.student.findMany({ where: { id: { in: before.map((row) => row.id) } } });
    const numberOf = (id: string) => after.find((row) => row.id === id)?.studentNo;
    expect(numberOf(before[0]!.id)).toBe('S-2');
    expect(numberOf(before[1]!.id)).toBe('S-1');
  });
});
