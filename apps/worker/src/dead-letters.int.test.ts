import { classChange, pushBody, statusChange } from '@student-sync/domain/testing';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { markRequeued, readBatchPushes } from '@student-sync/db/batches';
import { Keyring } from '@student-sync/privacy';
import {
  createPushQueue,
  createRedisConnection,
  DEAD_LETTER_QUEUE,
  type DeadLetterJobData,
  enqueuePush,
  PUSH_QUEUE,
  type PushQueue,
  pushJobId,
  waitForRedisReady,
} from '@student-sync/queue';
import { PUSH_BACKOFF_TYPE } from '@student-sync/queue/consumer';
import { pushJobDataFromArchive, redrivePush, replayDeadLetters, replayJobId } from '@student-sync/queue/replay';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../../../tests/support/index.ts';
import { freePort } from '../../../tests/e2e/service-process.ts';
import { pushJobData, waitFor } from './testing/push-jobs.ts';
import { startTestWorker, type TestWorker } from './testing/test-worker.ts';

const prefix = randomQueuePrefix();
const keys = testKeys();
const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
const ATTEMPTS = 3;

let database: TestDatabase;
let unreachableUrl: string;
let prisma: PrismaClient;
let redis: Redis;
let queue: PushQueue;
let deadLetters: Queue<DeadLetterJobData>;
let mainQueue: Queue;
const started: TestWorker[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  unreachableUrl = `postgresql://postgres@127.0.0.1:${await freePort()}/unreachable`;
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  redis = createRedisConnection(testRedisUrl(), { role: 'producer' });
  await waitForRedisReady(redis, 5_000);
  const retention = { retentionMs: 60_000, retentionCount: 1_000 };
  queue = createPushQueue({ connection: redis, prefix, jobPolicy: { attempts: ATTEMPTS, backoffBaseMs: 20, ...retention }, onError: () => {} });
  deadLetters = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix });
  mainQueue = new Queue(PUSH_QUEUE, { connection: redis, prefix });
});

afterAll(async () => {
  for (const worker of started) await worker.stop();
  await queue?.close();
  await deadLetters?.close();
  await mainQueue?.close();
  redis?.disconnect();
  await deleteQueueKeys(prefix);
  await prisma?.$disconnect();
  await database?.drop();
});

async function startWorker(databaseUrl: string, settings = {}): Promise<TestWorker> {
  const worker = await startTestWorker({ redisUrl: testRedisUrl(), prefix, databaseUrl, keys, settings });
  started.push(worker);
  return worker;
}

async function stopWorker(worker: TestWorker): Promise<void> {
  started.splice(started.indexOf(worker), 1);
  await worker.stop();
}

/** Enqueues a push the way ingress does and returns its job id. */
async function enqueue(body: string): Promise<string> {
  const job = await enqueuePush(queue, pushJobData(body, keyring), 2_000);
  return job.id!;
}

async function failedJob(jobId: string): Promise<Job | undefined> {
  // Order matters: reading the job before its state could return the job as it was before it failed.
  return (await queue.getJobState(jobId)) === 'failed' ? queue.getJob(jobId) : undefined;
}

async function deadLettersOf(batchNo: string): Promise<DeadLetterJobData[]> {
  const jobs = await deadLetters.getJobs(['waiting'], 0, -1);
  return jobs.map((job) => job.data).filter((letter) => letter.push.batchNo === batchNo);
}

describe('retries and dead letters', () => {
  it('push jobs use the worker backoff', async () => {
    const jobId = await enqueue(pushBody({ xh: 'BO-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: 'BO' }));
    const job = await queue.getJob(jobId);
    expect(job?.opts.backoff).toEqual({ type: PUSH_BACKOFF_TYPE, delay: 20 });
    await job?.remove();
  });

  it('always failing push dead-letters once', async () => {
    const broken = await startWorker(unreachableUrl);
    try {
      const jobId = await enqueue(pushBody({ xh: 'DB-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: 'DOWN-1' }));
      const job = await waitFor('the push to fail', () => failedJob(jobId));

      expect(job.attemptsMade).toBe(ATTEMPTS);
      const letters = await waitFor('the dead letter', async () => {
        const found = await deadLettersOf('DOWN-1');
        return found.length > 0 ? found : undefined;
      });
      expect(letters).toHaveLength(1);
      const letter = letters[0]!;
      expect([letter.reason, letter.errorCode, letter.attemptsMade, letter.originalJobId]).toEqual(['exhausted', 'DATABASE_ERROR', ATTEMPTS, jobId]);
      expect(Date.parse(letter.firstFailedAt)).toBeLessThan(Date.parse(letter.lastFailedAt));
      const { logs } = await mainQueue.getJobLogs(jobId);
      expect(logs).toHaveLength(ATTEMPTS);
      expect(letter.firstFailedAt).toBe(/at (\S+):/.exec(logs[0]!)?.[1]);
    } finally {
      await stopWorker(broken);
    }
  });

  it('permanent error dead-letters after one attempt', async () => {
    const worker = await startWorker(database.url);
    try {
      const jobId = await enqueue(pushBody({ xh: 'PE-1', bg_sj: '20240901080000', cz_lx: 'MOVE', bg_pch: 'PERM-1' }));
      const job = await waitFor('the push to fail', () => failedJob(jobId));

      expect(job.attemptsMade).toBe(1);
      const letters = await waitFor('the dead letter', async () => {
        const found = await deadLettersOf('PERM-1');
        return found.length > 0 ? found : undefined;
      });
      expect(letters.map((letter) => [letter.reason, letter.errorCode])).toEqual([['permanent', 'INVALID_PUSH']]);
      const archive = await prisma.pushArchive.findFirstOrThrow({ where: { batchNo: 'PERM-1' } });
      expect([archive.status, archive.lastErrorCode]).toEqual(['DEAD', 'INVALID_PUSH']);
    } finally {
      await stopWorker(worker);
    }
  });

  it('stalled job dead-letters', async () => {
    const jobId = await enqueue(pushBody({ xh: 'ST-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: 'STALL-1' }));
    // A worker that takes the job and vanishes: its lock is never renewed.
    const vanishing = new Worker(PUSH_QUEUE, null, { connection: createRedisConnection(testRedisUrl(), { role: 'worker' }), prefix, lockDuration: 300, autorun: false });
    const lockedJob = await vanishing.getNextJob('vanished-token');
    expect(lockedJob?.id).toBe(jobId);

    // BullMQ runs a stall check at most once per interval of the worker that ran the last one,
    // and records it in this key. Earlier workers of this file used the 30 s default interval.
    await redis.del(`${prefix}:${PUSH_QUEUE}:stalled-check`);
    const checker = await startWorker(database.url, { stalledIntervalMs: 200, maxStalledCount: 0 });
    try {
      const letters = await waitFor('the stalled dead letter', async () => {
        const found = await deadLettersOf('STALL-1');
        return found.length > 0 ? found : undefined;
      });
      expect(letters.map((letter) => [letter.reason, letter.errorCode, letter.originalJobId])).toEqual([['stalled', 'JOB_STALLED', jobId]]);
      expect((await queue.getJob(jobId))?.failedReason).toContain('stalled');
      const archive = await waitFor('the archive row', async () => (await prisma.pushArchive.findFirst({ where: { batchNo: 'STALL-1', status: 'DEAD' } })) ?? undefined);
      expect(archive.lastErrorCode).toBe('JOB_STALLED');
    } finally {
      await stopWorker(checker);
      await vanishing.close(true);
      (await vanishing.client).disconnect();
    }
  });
});

describe('replay', () => {
  const BATCH = 'REPLAY-1';
  const bodies = [
    pushBody({ xh: 'RP-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: BATCH, bg_mx_list: [classChange('C1')] }),
    pushBody({ xh: 'RP-2', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: BATCH, bg_mx_list: [classChange('C2'), statusChange('01', '在读')] }),
    pushBody({ xh: 'RP-3', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: BATCH, bg_mx_list: [statusChange('02', '休学')] }),
  ];
  let jobIds: string[];

  beforeAll(async () => {
    const broken = await startWorker(unreachableUrl);
    try {
      jobIds = [];
      for (const body of bodies) jobIds.push(await enqueue(body));
      await waitFor('the batch to dead-letter', async () => ((await deadLettersOf(BATCH)).length === bodies.length ? true : undefined));
    } finally {
      await stopWorker(broken);
    }
  });

  function replay(dryRun = false) {
    return replayDeadLetters(
      {
        deadLetters,
        pushQueue: queue,
        markRequeued: async (keys) => {
          await markRequeued(prisma, keys);
        },
      },
      { batchNo: BATCH },
      { dryRun },
    );
  }

  it('dry run moves nothing', async () => {
    const result = await replay(true);
    expect(result.matched.map((letter) => letter.id).sort()).toEqual([...jobIds].sort());
    expect(result.replayedIds).toEqual([]);
    expect(await deadLettersOf(BATCH)).toHaveLength(bodies.length);
  });

  it('dead letter claimed by another replay left alone', async () => {
    const redis = (await deadLetters.client) as unknown as Redis;
    const claimKey = deadLetters.toKey(`replay-claim:${jobIds[0]}`);
    await redis.set(claimKey, 'another-replay');
    try {
      const marked: string[] = [];
      const result = await replayDeadLetters({ deadLetters, pushQueue: queue, markRequeued: async (keys) => void marked.push(...keys) }, { ids: [jobIds[0]!] });
      expect(result.claimedElsewhereIds).toEqual([jobIds[0]]);
      // Marking would overwrite the DEAD that the worker writes if the other replay's push fails again.
      expect(marked).toEqual([]);
      expect(result.replayedIds).toEqual([]);
      expect(result.failures).toEqual([]);
      expect(await deadLettersOf(BATCH)).toHaveLength(bodies.length);
    } finally {
      await redis.del(claimKey);
    }
  });

  it('replay after fix applies every push once', async () => {
    const worker = await startWorker(database.url);
    try {
      // Two operators replaying the batch at once: each dead letter is moved by exactly one of them.
      const results = await Promise.all([replay(), replay()]);
      expect(results.flatMap((result) => result.replayedIds).sort()).toEqual([...jobIds].sort());
      expect(results.flatMap((result) => result.failures)).toEqual([]);
      expect(await deadLettersOf(BATCH)).toEqual([]);

      // The failed originals are still retained, while the replayed jobs run under new ids.
      for (const jobId of jobIds) expect(await (await queue.getJob(jobId))?.getState()).toBe('failed');
      await waitFor('every push to apply', async () => ((await prisma.pushArchive.count({ where: { batchNo: BATCH, status: 'APPLIED' } })) === bodies.length ? true : undefined));
      for (const jobId of jobIds) expect(await (await queue.getJob(replayJobId(jobId)))?.getState()).toBe('completed');

      const students = await prisma.student.findMany({ where: { studentNo: { startsWith: 'RP-' } }, orderBy: { studentNo: 'asc' } });
      expect(students.map((student) => [student.studentNo, student.classCode, student.statusCode])).toEqual([
        ['RP-1', 'C1', null],
        ['RP-2', 'C2', '01'],
        ['RP-3', null, '02'],
      ]);
      expect(await prisma.studentChange.count({ where: { batchNo: BATCH } })).toBe(4);
    } finally {
      await stopWorker(worker);
    }
  });

  it('second replay finds nothing', async () => {
    const result = await replay();
    expect(result.matched).toEqual([]);
    expect(result.replayedIds).toEqual([]);
  });

  it('replay of applied push changes nothing', async () => {
    // A dead letter left for a push that was applied meanwhile, e.g. by a stalled job that finished.
    const data = pushJobData(bodies[0]!, keyring);
    const failedId = `${pushJobId(data.idempotencyKey)}.r1`;
    await deadLetters.add('dead-letter', {
      push: data,
      originalJobId: failedId,
      errorCode: 'JOB_STALLED',
      errorMessage: 'stalled',
      attemptsMade: 1,
      reason: 'stalled',
      firstFailedAt: new Date().toISOString(),
      lastFailedAt: new Date().toISOString(),
    }, { jobId: failedId });
    const before = await prisma.student.findUniqueOrThrow({ where: { studentNo: 'RP-1' } });

    const worker = await startWorker(database.url);
    try {
      const result = await replay();
      expect(result.replayedIds).toEqual([failedId]);
      const job = await waitFor('the replayed job to complete', async () => {
        const id = replayJobId(failedId);
        return (await queue.getJobState(id)) === 'completed' ? queue.getJob(id) : undefined;
      });
      expect(job.id).toBe(`${pushJobId(data.idempotencyKey)}.r2`);
      expect(job.returnvalue).toMatchObject({ status: 'already-applied' });
    } finally {
      await stopWorker(worker);
    }
    const after = await prisma.student.findUniqueOrThrow({ where: { studentNo: 'RP-1' } });
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(await prisma.studentChange.count({ where: { batchNo: BATCH } })).toBe(4);
  });

  it('re-drive of applied batch changes nothing', async () => {
    const worker = await startWorker(database.url);
    try {
      const jobIds: string[] = [];
      for await (const record of readBatchPushes(prisma, BATCH)) {
        jobIds.push(await redrivePush(queue, pushJobDataFromArchive(record, keyring), 'test-run'));
      }
      expect(jobIds).toHaveLength(bodies.length);
      const results = await waitFor('the re-driven jobs to complete', async () => {
        const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
        if (!states.every((state) => state === 'completed')) return undefined;
        const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id)));
        return jobs.map((job) => (job?.returnvalue as { status?: string } | undefined)?.status);
      });
      expect(new Set(results)).toEqual(new Set(['already-applied']));
    } finally {
      await stopWorker(worker);
    }
    expect(await prisma.studentChange.count({ where: { batchNo: BATCH } })).toBe(4);
  });
});

describe('one dead letter per push', () => {
  const BATCH = 'ONE-DL';
  // MOVE is not a valid cz_lx, so every job of this push fails at once with a permanent error.
  const body = pushBody({ xh: 'ODL-1', bg_sj: '20240901080000', cz_lx: 'MOVE', bg_pch: BATCH });
  const baseId = pushJobId(pushJobData(body, keyring).idempotencyKey);

  function replayBatch() {
    return replayDeadLetters({ deadLetters, pushQueue: queue, markRequeued: async (keys) => void (await markRequeued(prisma, keys)) }, { batchNo: BATCH });
  }

  /** Waits until the push's only dead letter records the failure of job `jobId`, and returns it. */
  async function onlyDeadLetter(jobId: string): Promise<Job<DeadLetterJobData>> {
    await waitFor(`the dead letter of ${jobId}`, async () => ((await deadLetters.getJob(baseId))?.data.originalJobId === jobId ? true : undefined));
    expect((await deadLettersOf(BATCH)).map((letter) => letter.originalJobId)).toEqual([jobId]);
    return (await deadLetters.getJob(baseId))!;
  }

  it('keeps one entry across resends and replays', async () => {
    const worker = await startWorker(database.url);
    try {
      expect(await enqueue(body)).toBe(baseId);
      await waitFor('the push to fail', () => failedJob(baseId));
      await onlyDeadLetter(baseId);

      const replayed = await replayBatch();
      expect(replayed.replayedIds).toEqual([baseId]);
      const earlier = await onlyDeadLetter(`${baseId}.r1`);

      // The oldest failed job leaves the queue (trimmed, or cleaned in Bull Board), and the platform resends the push.
      await (await queue.getJob(baseId))!.remove();
      expect(await enqueue(body)).toBe(baseId);
      const merged = await onlyDeadLetter(baseId);
      expect(merged.data.firstFailedAt).toBe(earlier.data.firstFailedAt);
      expect(Date.parse(merged.data.lastFailedAt)).toBeGreaterThan(Date.parse(earlier.data.lastFailedAt));

      // .r1 is still retained as failed, so a replay under it would be ignored: the replay takes .r2.
      expect(await queue.getJobState(`${baseId}.r1`)).toBe('failed');
      expect((await replayBatch()).replayedIds).toEqual([baseId]);
      await onlyDeadLetter(`${baseId}.r2`);
    } finally {
      await stopWorker(worker);
    }
  });

  it('replay finds the push still queued', async () => {
    // A replay that added .r3 and died before removing the dead letter leaves both.
    const letter = await onlyDeadLetter(`${baseId}.r2`);
    const pending = await queue.add('left by a replay', letter.data.push, { jobId: `${baseId}.r3`, delay: 60_000 });
    try {
      const result = await replayBatch();
      expect(result.replayedIds).toEqual([baseId]);
      expect(await deadLettersOf(BATCH)).toEqual([]);
      expect(await queue.getJobState(`${baseId}.r4`)).toBe('unknown');
    } finally {
      await pending.remove();
    }
  });
});
