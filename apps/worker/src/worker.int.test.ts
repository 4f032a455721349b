import { createHash } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { classChange, pushBody, statusChange } from '@student-sync/domain/testing';
import { createLogger } from '@student-sync/observability';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { createPushQueue, createRedisConnection, type DeadLetterJobData, pushJobId, pushJobName, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import { pushRetryOptions } from '@student-sync/queue/consumer';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  deleteQueueKeys,
  randomQueuePrefix,
  type TestDatabase,
  testKeys,
  testRedisUrl,
} from '../../../tests/support/index.ts';
import { buildWorker, type PushWorker } from './build-worker.ts';
import { addPushJob, pushJobData, waitFor } from './testing/push-jobs.ts';

const prefix = randomQueuePrefix();
const keys = testKeys();
const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
const retry = { attempts: 3, backoffBaseMs: 50 };

let database: TestDatabase;
let prisma: PrismaClient;
let workerRedis: Redis;
let producerRedis: Redis;
let queue: PushQueue;
let pushWorker: PushWorker;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  workerRedis = createRedisConnection(testRedisUrl(), { role: 'worker' });
  producerRedis = createRedisConnection(testRedisUrl(), { role: 'producer' });
  await Promise.all([waitForRedisReady(workerRedis, 5_000), waitForRedisReady(producerRedis, 5_000)]);
  queue = createPushQueue({ connection: producerRedis, prefix, onError: () => {} });
  pushWorker = buildWorker(
    {
      connection: workerRedis,
      prefix,
      concurrency: 2,
      backoffBaseMs: retry.backoffBaseMs,
      backoffMaxMs: 200,
      completedRetentionMs: 60_000,
      completedRetentionCount: 1_000,
    },
    { prisma, keyring, hasher: KeyedHasher.parse(keys.PII_HASH_KEY), maxAttempts: 10, log: createLogger({ name: 'worker-test', level: 'silent' }) },
  );
  void pushWorker.worker.run();
});

afterAll(async () => {
  await pushWorker?.close();
  await queue?.close();
  workerRedis?.disconnect();
  producerRedis?.disconnect();
  await deleteQueueKeys(prefix);
  await prisma?.$disconnect();
  await database?.drop();
});

async function finishedState(jobId: string): Promise<Job | undefined> {
  // Order matters: reading the job before its state could return the job as it was before it finished.
  const state = await queue.getJobState(jobId);
  return state === 'completed' || state === 'failed' ? queue.getJob(jobId) : undefined;
}

async function deadLetter(jobId: string): Promise<DeadLetterJobData | undefined> {
  return (await pushWorker.deadLetters.getJob(jobId))?.data;
}

describe('push worker', () => {
  it('UPDATE before ADD retried then applied', async () => {
    const update = pushBody({ xh: 'W-1', bg_sj: '20240902080000', bg_mx_list: [statusChange('02', '休学')] });
    const updateId = await addPushJob(queue, update, keyring, { ...retry, attempts: 10 });
    await waitFor('the UPDATE to be archived as retrying', async () => {
      const row = await prisma.pushArchive.findFirst({ where: { studentNo: 'W-1', status: 'RETRYING' } });
      return row ?? undefined;
    });

    await addPushJob(queue, pushBody({ xh: 'W-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [classChange('C1')] }), keyring, retry);
    const job = await waitFor('the UPDATE job to finish', () => finishedState(updateId));

    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    const archive = await prisma.pushArchive.findFirstOrThrow({ where: { studentNo: 'W-1', operation: 'UPDATE' } });
    expect(archive.status).toBe('APPLIED');
    expect(archive.attempts).toBe(job.attemptsMade);
    expect(archive.lastErrorCode).toBe('STUDENT_NOT_FOUND');
    const student = await prisma.student.findUniqueOrThrow({ where: { studentNo: 'W-1' } });
    expect([student.classCode, student.statusCode]).toEqual(['C1', '02']);
  });

  it('invalid body dead-lettered without retries', async () => {
    const jobId = await addPushJob(queue, pushBody({ xh: 'W-2', bg_sj: '20240901080000', cz_lx: 'DELETE' }), keyring, retry);
    const job = await waitFor('the invalid push to fail', () => finishedState(jobId));

    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    const letter = await waitFor('the dead letter', () => deadLetter(jobId));
    expect([letter.reason, letter.errorCode, letter.attemptsMade]).toEqual(['permanent', 'INVALID_PUSH', 1]);
    expect(letter.errorMessage).toContain('cz_lx');
    expect(letter.errorMessage).toMatch(/ 处理建议 \(what to do\): 请发送方修正推送内容后重新推送 \(the sender must fix and resend the push\)$/);
    const archive = await prisma.pushArchive.findFirstOrThrow({ where: { studentNo: 'W-2' } });
    expect([archive.status, archive.attempts, archive.lastErrorCode]).toEqual(['DEAD', 1, 'INVALID_PUSH']);
  });

  it('body with byte order mark applied', async () => {
    // The ingress accepts such a body, since TextDecoder drops the mark, and seals the bytes as received.
    const rawBody = `\uFEFF${pushBody({ xh: 'W-BOM', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [statusChange('01', '在读')] })}`;
    const data = pushJobData(rawBody.slice(1), keyring);
    const digest = createHash('sha256').update(rawBody, 'utf8').digest('hex');
    const withMark = { ...data, idempotencyKey: `${data.appKey}:${digest}`, bodySealed: keyring.seal(rawBody) };
    const jobId = pushJobId(withMark.idempotencyKey);
    await queue.add(pushJobName(withMark), withMark, { jobId, ...pushRetryOptions(retry.attempts, retry.backoffBaseMs) });

    const job = await waitFor('the push to finish', () => finishedState(jobId));
    expect(await job.getState()).toBe('completed');
    const student = await prisma.student.findFirstOrThrow({ where: { studentNo: 'W-BOM' } });
    expect(student.statusCode).toBe('01');
  });

  it('orphan UPDATE dead-lettered when exhausted', async () => {
    const jobId = await addPushJob(queue, pushBody({ xh: 'W-3', bg_sj: '20240902080000' }), keyring, retry);
    const job = await waitFor('the orphan UPDATE to fail', () => finishedState(jobId));

    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(retry.attempts);
    const letter = await waitFor('the dead letter', () => deadLetter(jobId));
    expect([letter.reason, letter.errorCode, letter.attemptsMade]).toEqual(['exhausted', 'STUDENT_NOT_FOUND', retry.attempts]);
    expect(letter.push.studentNo).toBe('W-3');
    const archive = await prisma.pushArchive.findFirstOrThrow({ where: { studentNo: 'W-3' } });
    expect([archive.status, archive.attempts]).toEqual(['DEAD', retry.attempts]);
  });

  it('invalid job data fails without retries', async () => {
    const job = await queue.add('push', { version: 1, appKey: 'efutong' } as never, { jobId: 'broken-data', attempts: 3 });
    const failed = await waitFor('the broken job to fail', () => finishedState(job.id!));
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toContain('INVALID_JOB_DATA');
  });

  it('job result contains no personal data', async () => {
    const jobId = await addPushJob(
      queue,
      pushBody({ xh: 'W-4', bg_sj: '20240901080000', cz_lx: 'ADD', sfzh: '11010519491231002X' }),
      keyring,
      retry,
    );
    const job = await waitFor('the ADD to complete', () => finishedState(jobId));
    expect(job.returnvalue).toMatchObject({ status: 'applied' });
    expect(JSON.stringify(job.returnvalue)).not.toContain('11010519491231002X');
  });
});
