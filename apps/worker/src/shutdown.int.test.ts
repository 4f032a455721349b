import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { lockKeyOf } from '@student-sync/db/apply';
import { pushBody } from '@student-sync/domain/testing';
import { Keyring } from '@student-sync/privacy';
import { createPushQueue, createRedisConnection, enqueuePush, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../../../tests/support/index.ts';
import { REPO_ROOT } from '../../../tests/e2e/service-process.ts';
import { pushJobData, waitFor } from './testing/push-jobs.ts';

/** Lock space of student-number advisory locks in packages/db (ASCII "STNO"). */
const STUDENT_NO_LOCK_SPACE = 0x53544e4f;

const prefix = randomQueuePrefix();
const keys = testKeys();
const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);

let database: TestDatabase;
let prisma: PrismaClient;
let redis: Redis;
let queue: PushQueue;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  redis = createRedisConnection(testRedisUrl(), { role: 'producer' });
  await waitForRedisReady(redis, 5_000);
  queue = createPushQueue({ connection: redis, prefix, onError: () => {} });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await queue?.close();
  redis?.disconnect();
  await deleteQueueKeys(prefix);
  await prisma?.$disconnect();
  await database?.drop();
});

/** Starts apps/worker/src/main.ts as its own process and resolves once it has started. */
async function startWorker(graceMs: number): Promise<{ child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      ...keys,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      REDIS_POLICY_CHECK: 'warn',
      WORKER_CONCURRENCY: '2',
      SHUTDOWN_GRACE_MS: String(graceMs),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await waitFor('the worker to start', async () => (output.join('').includes('worker started') ? true : undefined), 60_000);
  return { child, output };
}

/** Holds the advisory locks of student numbers on its own connection, so applying their pushes waits. */
async function holdStudentLocks(studentNos: string[]): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  for (const studentNo of studentNos) await client.query('SELECT pg_advisory_lock($1::int4, $2::int4)', [STUDENT_NO_LOCK_SPACE, lockKeyOf(studentNo)]);
  return () => client.end();
}

async function enqueueAdds(studentNos: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const xh of studentNos) {
    const job = await enqueuePush(queue, pushJobData(pushBody({ xh, bg_sj: '20240901080000', cz_lx: 'ADD' }), keyring), 2_000);
    ids.push(job.id!);
  }
  return ids;
}

async function statesOf(jobIds: string[]): Promise<string[]> {
  return Promise.all(jobIds.map(async (id) => (await queue.getJob(id))!.getState()));
}

async function waitForActive(jobIds: string[]): Promise<void> {
  await waitFor('the jobs to be active', async () => ((await statesOf(jobIds)).every((state) => state === 'active') ? true : undefined));
}

describe('worker shutdown on SIGTERM', () => {
  it('finishes jobs in flight', async () => {
    const studentNos = ['SD-1', 'SD-2'];
    const release = await holdStudentLocks(studentNos);
    const jobIds = await enqueueAdds(studentNos);
    const { child, output } = await startWorker(30_000);
    await waitForActive(jobIds);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await waitFor('the worker to begin stopping', async () => (output.join('').includes('worker stopping') ? true : undefined));
    await release();
    const [code] = (await exited) as [number | null];

    expect(code, output.join('')).toBe(0);
    expect(await statesOf(jobIds)).toEqual(['completed', 'completed']);
    expect(await prisma.pushArchive.count({ where: { studentNo: { in: studentNos }, status: 'APPLIED' } })).toBe(2);
  });

  it('returns unfinished jobs to wait', async () => {
    const studentNos = ['SR-1', 'SR-2'];
    const release = await holdStudentLocks(studentNos);
    const jobIds = await enqueueAdds(studentNos);
    const first = await startWorker(2_500);
    await waitForActive(jobIds);

    const exited = once(first.child, 'exit');
    first.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];

    expect(code, first.output.join('')).toBe(0);
    expect(await statesOf(jobIds)).toEqual(['waiting', 'waiting']);
    expect(await prisma.pushArchive.count({ where: { studentNo: { in: studentNos } } })).toBe(0);

    await release();
    const second = await startWorker(30_000);
    await waitFor('the returned jobs to complete', async () => ((await statesOf(jobIds)).every((state) => state === 'completed') ? true : undefined));
    const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id)));
    expect(jobs.map((job) => job?.attemptsMade)).toEqual([1, 1]);
    expect(await prisma.student.count({ where: { studentNo: { in: studentNos } } })).toBe(2);
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  });
});
