import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, type PrismaClient, type Student } from '@student-sync/db';
import type { StudentRecord } from '@student-sync/domain';
import { buildPushBodies, deliverInOrder, shuffledWithDuplicates, sortByChangeTime, studentPlans } from '@student-sync/domain/testing';
import { Keyring } from '@student-sync/privacy';
import { createPushQueue, createRedisConnection, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPushJob, waitFor } from '../../apps/worker/src/testing/push-jobs.ts';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../support/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER_PROCESSES = 2;
/** Each round is one set of students whose pushes are delivered in their own random order. */
const ROUND_SEEDS = [101, 202, 303];
const RETRY = { attempts: 60, backoffBaseMs: 50 };
/** Upper bound for the workers to drain every job; retries wait for ADD and XH pushes. */
const DRAIN_TIMEOUT_MS = 150_000;

const prefix = randomQueuePrefix();
const keys = testKeys();
const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
const workers: Array<{ child: ChildProcess; output: string[] }> = [];

let database: TestDatabase;
let prisma: PrismaClient;
let redis: Redis;
let queue: PushQueue;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  redis = createRedisConnection(testRedisUrl(), { role: 'producer' });
  await waitForRedisReady(redis, 5_000);
  queue = createPushQueue({ connection: redis, prefix, onError: () => {} });
  for (let index = 0; index < WORKER_PROCESSES; index += 1) workers.push(startWorker());
});

afterAll(async () => {
  for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue?.close();
  redis?.disconnect();
  await deleteQueueKeys(prefix);
  await prisma?.$disconnect();
  await database?.drop();
});

function startWorker() {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      REDIS_POLICY_CHECK: 'warn',
      WORKER_CONCURRENCY: '3',
      JOB_ATTEMPTS: String(RETRY.attempts),
      JOB_BACKOFF_BASE_MS: String(RETRY.backoffBaseMs),
      JOB_BACKOFF_MAX_MS: '400',
      SHUTDOWN_GRACE_MS: '10000',
      LOG_LEVEL: 'warn',
      ...keys,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output };
}

/** Reads a stored student in the plaintext shape of the reference store. */
function toRecord(student: Student): StudentRecord {
  const open = (sealed: string | null) => (sealed === null ? null : keyring.open(sealed));
  return {
    studentNo: student.studentNo,
    examineeNo: student.examineeNo,
    examineeNoIrregular: student.examineeNoIrregular,
    name: student.name,
    idNumber: open(student.idNumberSealed),
    classCode: student.classCode,
    className: student.className,
    bankCard: open(student.bankCardSealed),
    statusCode: student.statusCode,
    statusName: student.statusName,
    versions: {
      studentNo: student.studentNoVersion,
      examineeNo: student.examineeNoVersion,
      name: student.nameVersion,
      idNumber: student.idNumberVersion,
      class: student.classVersion,
      bankCard: student.bankCardVersion,
      status: student.statusVersion,
    },
    lastChangedAt: student.lastChangedAt,
  };
}

describe('two worker processes', () => {
  it('shuffled duplicated pushes match bg_sj order', async () => {
    const rounds = ROUND_SEEDS.map((seed, round) => {
      const [plans] = fc.sample(studentPlans({ minStudents: 4, maxStudents: 4, minSteps: 8, maxSteps: 12 }), { seed, numRuns: 1 });
      const bodies = buildPushBodies(plans!, `R${round}S`);
      const [deliveries] = fc.sample(shuffledWithDuplicates(bodies), { seed, numRuns: 1 });
      return { bodies, deliveries: deliveries! };
    });

    // A repeated body gets its own job id, as a replay or a resend after the dedupe window
    // would, so the archive's idempotency is what keeps it from applying twice.
    let jobs = 0;
    for (const { deliveries } of rounds) {
      const seen = new Map<string, number>();
      for (const body of deliveries) {
        const copies = seen.get(body) ?? 0;
        seen.set(body, copies + 1);
        await addPushJob(queue, body, keyring, { ...RETRY, jobIdSuffix: copies === 0 ? '' : `.copy${copies}` });
        jobs += 1;
      }
    }

    const allBodies = rounds.flatMap((round) => round.bodies);
    expect(jobs).toBeGreaterThan(allBodies.length);
    expect(allBodies.filter((body) => body.includes('"bg_lx":"XH"')).length).toBeGreaterThan(0);

    const counts = await waitFor(
      'the workers to finish every job',
      async () => {
        const current = await queue.getJobCounts('completed', 'failed');
        return (current.completed ?? 0) + (current.failed ?? 0) === jobs ? current : undefined;
      },
      DRAIN_TIMEOUT_MS,
    );
    expect(counts.failed, workers.map((worker) => worker.output.join('')).join('\n')).toBe(0);

    const expected = deliverInOrder(sortByChangeTime(allBodies));
    const students = await prisma.student.findMany({ include: { aliases: true } });
    const actual = new Map(students.map((student) => [student.studentNo, toRecord(student)]));
    expect(actual).toEqual(expected.snapshot());

    const aliases = new Map(
      students
        .filter((student) => student.aliases.length > 0)
        .map((student) => [student.studentNo, student.aliases.map((alias) => alias.studentNo).sort()]),
    );
    expect(aliases).toEqual(expected.aliases());

    const distinctBodies = new Set(allBodies).size;
    expect(await prisma.pushArchive.count({ where: { status: 'APPLIED' } })).toBe(distinctBodies);
    expect(await prisma.pushArchive.count()).toBe(distinctBodies);
  }, 180_000);

  it('workers exit cleanly on SIGTERM', async () => {
    const exits = workers.map(({ child }) => once(child, 'exit'));
    for (const { child } of workers) child.kill('SIGTERM');
    const codes = (await Promise.all(exits)).map(([code]) => code);
    expect(codes).toEqual(workers.map(() => 0));
  });
});
