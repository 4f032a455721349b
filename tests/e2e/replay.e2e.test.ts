import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { classChange, pushBody, statusChange } from '@student-sync/domain/testing';
import { DEAD_LETTER_QUEUE, type DeadLetterJobData } from '@student-sync/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAll } from '../../apps/cli/src/push/send-all.ts';
import { resolveTarget } from '../../apps/cli/src/push/target.ts';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../support/index.ts';
import { freePort, runCli, ServiceProcess } from './service-process.ts';

const BATCH = 'E2E-REPLAY-1';
const REDRIVE_BATCH = 'E2E-REDRIVE-1';
const STUDENTS = 12;
const UPDATED = 6;
const START_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 60_000;

/** ADDs for every student, then a status change for the first UPDATED of them, all in one batch. */
function batchBodies(): Buffer[] {
  const adds = Array.from({ length: STUDENTS }, (_, index) =>
    pushBody({ xh: `E2E-${index + 1}`, bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: BATCH, xm: `学生${index + 1}`, bg_mx_list: [classChange('C-A')] }),
  );
  const updates = Array.from({ length: UPDATED }, (_, index) =>
    pushBody({ xh: `E2E-${index + 1}`, bg_sj: '20240902080000', bg_pch: BATCH, bg_mx_list: [statusChange('02', '休学')] }),
  );
  return [...adds, ...updates].map((body) => Buffer.from(body, 'utf8'));
}

describe('replay story: database down, batch dead-lettered, replayed after the fix', () => {
  let database: TestDatabase;
  let workDir: string;
  let prisma: PrismaClient;
  let redis: Redis;
  let deadLetters: Queue<DeadLetterJobData>;
  const prefix = randomQueuePrefix();
  const keys = testKeys();
  const services: ServiceProcess[] = [];
  let env: Record<string, string>;
  let clientFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    workDir = await mkdtemp(path.join(tmpdir(), 'student-sync-replay-e2e-'));
    clientFile = path.join(workDir, 'client.json');
    prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    deadLetters = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix });
    const port = await freePort();
    env = {
      ...keys,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      // The shared test Redis runs without AOF; production refuses that, the test only warns.
      REDIS_POLICY_CHECK: 'warn',
      LOG_LEVEL: 'info',
      INGRESS_HOST: '127.0.0.1',
      INGRESS_PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '0',
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_BASE_MS: '100',
      JOB_BACKOFF_MAX_MS: '400',
      WORKER_CONCURRENCY: '4',
      DATABASE_POOL_SIZE: '4',
    };

    const added = await runCli(['clients', 'add', 'e2e-replay', '--save', clientFile, '--url', `http://127.0.0.1:${port}/api/v1/student-changes`], env);
    expect(added.code, added.stderr).toBe(0);

    const ingress = new ServiceProcess('ingress', 'apps/ingress/src/main.ts', env);
    services.push(ingress);
    await ingress.waitUntil('GET /readyz 200', () => isReady(`http://127.0.0.1:${port}/readyz`), START_TIMEOUT_MS);
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await deadLetters?.close();
    redis?.disconnect();
    await prisma?.$disconnect();
    await database?.drop();
    await deleteQueueKeys(prefix);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('applies every push of the batch exactly once', { timeout: 240_000 }, async () => {
    // A worker whose database is unreachable, because nothing listens on this port.
    const unreachable = `postgresql://postgres@127.0.0.1:${await freePort()}/student_sync`;
    const broken = startService('worker-broken-db', { ...env, DATABASE_URL: unreachable });
    await broken.waitForOutput('worker started', START_TIMEOUT_MS);

    const bodies = batchBodies();
    const outcomes = await sendAll(bodies, { target: await resolveTarget({ clientFile }), concurrency: 4, maxAttempts: 5, timeoutMs: 10_000, baseBackoffMs: 200, maxBackoffMs: 2_000 });
    expect(outcomes.filter((outcome) => outcome.result.kind !== 'response' || outcome.result.respCode !== '0000'), output()).toEqual([]);

    await broken.waitUntil('the whole batch to dead-letter', async () => (await batchLetters()).length === bodies.length, SETTLE_TIMEOUT_MS);
    const letters = await batchLetters();
    expect(new Set(letters.map((letter) => `${letter.reason}/${letter.errorCode}/${letter.attemptsMade}`))).toEqual(new Set(['exhausted/DATABASE_ERROR/3']));
    expect(JSON.stringify(letters)).not.toContain('学生1');
    await broken.stop();

    const dryRun = await runCli(['replay', '--batch', BATCH, '--dry-run'], env);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain(`预演: 将放回 ${bodies.length} 条`);
    expect(dryRun.stdout).toContain('错误信息');
    expect(dryRun.stdout).toContain(letters[0]!.errorMessage.slice(0, 40));
    expect(await batchLetters()).toHaveLength(bodies.length);

    const fixed = startService('worker', env);
    await fixed.waitForOutput('worker started', START_TIMEOUT_MS);
    // A fresh budget large enough for an UPDATE that runs before its ADD.
    const replayed = await runCli(['replay', '--batch', BATCH], { ...env, JOB_ATTEMPTS: '10' });
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`已放回主队列 ${bodies.length} 条, 失败 0 条`);

    await fixed.waitUntil('every push to apply', async () => (await prisma.pushArchive.count({ where: { batchNo: BATCH, status: 'APPLIED' } })) === bodies.length, SETTLE_TIMEOUT_MS);
    expect(await batchLetters()).toEqual([]);

    const students = await prisma.student.findMany({ where: { studentNo: { startsWith: 'E2E-' } } });
    expect(students).toHaveLength(STUDENTS);
    for (const student of students) {
      const index = Number(student.studentNo.slice('E2E-'.length));
      expect([student.studentNo, student.classCode, student.statusCode]).toEqual([student.studentNo, 'C-A', index <= UPDATED ? '02' : null]);
    }
    expect(await prisma.studentChange.count({ where: { batchNo: BATCH } })).toBe(STUDENTS + UPDATED);

    const again = await runCli(['replay', '--batch', BATCH], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('没有符合条件的死信');
    const missing = await runCli(['replay', '--id', 'e2e-replay.not-a-dead-letter'], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('死信队列中没有这些 id');

    const batch = await runCli(['batch', BATCH], env);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stdout).toContain(`已归档 ${bodies.length} 条: 已接收待处理 0, 已应用 ${bodies.length}, 重试中 0, 死信 0`);
    expect(batch.stdout).toContain(`涉及学生 ${STUDENTS} 名`);
    const list = await runCli(['batches'], env);
    expect(list.stdout).toContain(BATCH);
    await fixed.stop();
  });

  it('redrive replays dead letters once', { timeout: 180_000 }, async () => {
    const worker = startService('worker-2', env);
    await worker.waitForOutput('worker started', START_TIMEOUT_MS);
    const target = await resolveTarget({ clientFile });
    const send = async (body: string) => {
      const outcomes = await sendAll([Buffer.from(body, 'utf8')], { target, concurrency: 1, maxAttempts: 5, timeoutMs: 10_000, baseBackoffMs: 200, maxBackoffMs: 2_000 });
      expect(outcomes.map((outcome) => (outcome.result.kind === 'response' ? outcome.result.respCode : outcome.result.kind)), output()).toEqual(['0000']);
    };

    // An UPDATE of a student not yet added fails on every attempt and is dead-lettered.
    await send(pushBody({ xh: 'RD-1', bg_sj: '20240902080000', bg_pch: REDRIVE_BATCH, bg_mx_list: [statusChange('02', '休学')] }));
    await worker.waitUntil('the UPDATE to dead-letter', async () => (await batchLetters(REDRIVE_BATCH)).length === 1, SETTLE_TIMEOUT_MS);
    await send(pushBody({ xh: 'RD-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: REDRIVE_BATCH, bg_mx_list: [classChange('C-R')] }));
    await worker.waitUntil('the ADD to apply', async () => (await prisma.pushArchive.count({ where: { batchNo: REDRIVE_BATCH, status: 'APPLIED' } })) === 1, SETTLE_TIMEOUT_MS);

    const redriven = await runCli(['redrive', '--batch', REDRIVE_BATCH], env);
    expect(redriven.code, redriven.stdout + redriven.stderr).toBe(0);
    expect(redriven.stdout).toContain('归档 2 条, 已放入主队列 1 条, 死信重放 1 条');

    await worker.waitUntil('both pushes to be applied', async () => (await prisma.pushArchive.count({ where: { batchNo: REDRIVE_BATCH, status: 'APPLIED' } })) === 2, SETTLE_TIMEOUT_MS);
    // The dead letter must be gone, not left beside the re-enqueued push.
    expect(await batchLetters(REDRIVE_BATCH)).toEqual([]);
    const student = await prisma.student.findUniqueOrThrow({ where: { studentNo: 'RD-1' } });
    expect([student.classCode, student.statusCode]).toEqual(['C-R', '02']);
    const batch = await runCli(['batch', REDRIVE_BATCH], env);
    expect(batch.stdout).toContain('已归档 2 条: 已接收待处理 0, 已应用 2, 重试中 0, 死信 0');
  });

  function startService(name: string, serviceEnv: Record<string, string>): ServiceProcess {
    const service = new ServiceProcess(name, 'apps/worker/src/main.ts', serviceEnv);
    services.push(service);
    return service;
  }

  async function batchLetters(batchNo = BATCH): Promise<DeadLetterJobData[]> {
    const jobs = await deadLetters.getJobs(['waiting'], 0, -1);
    return jobs.map((job) => job.data).filter((letter) => letter.push.batchNo === batchNo);
  }

  function output(): string {
    return services.map((service) => service.output()).join('\n');
  }
});

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
