import { classChange, numberChange, pushBody, statusChange } from '@student-sync/domain/testing';
import { attachWorkerMetrics, createLogger, createMetricsRegistry, parsePrometheusText, sampleValue } from '@student-sync/observability';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { createRedisConnection, waitForRedisReady } from '@student-sync/queue';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys, testRedisUrl } from '../../../tests/support/index.ts';
import { buildWorker, type PushWorker } from '../../worker/src/build-worker.ts';
import { addPushJob, waitFor } from '../../worker/src/testing/push-jobs.ts';
import { as, OPERATOR, startTestAdmin, type TestAdmin, VIEWER } from './testing/harness.ts';

const keys = testKeys();
const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
const ID_NUMBER = '11010519491231002X';

let admin: TestAdmin;
let workerRedis: Redis;
let pushWorker: PushWorker;
let workerRegistry: Registry;

beforeAll(async () => {
  admin = await startTestAdmin();
  workerRedis = createRedisConnection(testRedisUrl(), { role: 'worker' });
  await waitForRedisReady(workerRedis, 5_000);
  pushWorker = buildWorker(
    { connection: workerRedis, prefix: admin.prefix, concurrency: 2, backoffBaseMs: 50, backoffMaxMs: 200, completedRetentionMs: 60_000, completedRetentionCount: 1_000 },
    { prisma: admin.prisma, keyring, hasher: KeyedHasher.parse(keys.PII_HASH_KEY), maxAttempts: 10, log: createLogger({ name: 'worker-test', level: 'silent' }) },
  );
  workerRegistry = createMetricsRegistry('worker');
  attachWorkerMetrics(pushWorker.worker, workerRegistry);
  void pushWorker.worker.run();
});

afterAll(async () => {
  await pushWorker?.close();
  workerRedis?.disconnect();
  await admin?.close();
});

async function getJson(url: string, user = VIEWER) {
  const response = await admin.app.inject(as(user, { method: 'GET', url }));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function adminSamples() {
  return parsePrometheusText((await admin.app.inject(as(VIEWER, { method: 'GET', url: '/metrics' }))).body);
}

async function push(fields: Parameters<typeof pushBody>[0], attempts = 3): Promise<string> {
  return addPushJob(admin.pushQueue, pushBody(fields), keyring, { attempts, backoffBaseMs: 50 });
}

async function finished(jobId: string): Promise<void> {
  await waitFor(`job ${jobId} to finish`, async () => {
    const state = await (await admin.pushQueue.getJob(jobId))?.getState();
    return state === 'completed' || state === 'failed' ? state : undefined;
  });
}

describe('admin over a running worker', () => {
  it('dead letter replayed fixes student', async () => {
    const before = await adminSamples();
    expect(sampleValue(before, 'student_sync_queue_jobs', { queue: 'student-changes-dead', state: 'waiting' })).toBe(0);

    await finished(await push({ xh: 'D-1', bg_sj: '20240902080000', bg_pch: 'B-DEAD', bg_mx_list: [statusChange('02', '休学')] }, 1));
    await waitFor('the dead letter', async () => ((await admin.deadLetters.count()) > 0 ? true : undefined));

    const letters = await getJson('/admin/api/dead-letters?batch=B-DEAD');
    expect(letters.deadLetters).toHaveLength(1);
    expect(letters.deadLetters[0]).toMatchObject({ batchNo: 'B-DEAD', studentNo: 'D-1', errorCode: 'STUDENT_NOT_FOUND' });
    expect(letters.deadLetters[0].errorMessage).toContain('no student has number D-1');
    // The filter form submits its empty inputs too.
    const page = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/dead-letters?batch=B-DEAD&appKey=&errorCode=&from=&to=' }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('no student has number D-1');
    expect((await getJson('/admin/api/batches/B-DEAD')).archive).toMatchObject({ total: 1, dead: 1 });
    expect(sampleValue(await adminSamples(), 'student_sync_queue_jobs', { queue: 'student-changes-dead', state: 'waiting' })).toBe(1);

    await finished(await push({ xh: 'D-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: 'B-FIX', bg_mx_list: [statusChange('01', '在读')] }));
    const replay = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { batch: 'B-DEAD' } }));
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json().replayedIds).toHaveLength(1);

    const student = await waitFor('the replayed push to apply', async () => {
      const view = await getJson('/admin/api/students/D-1');
      return view.statusCode === '02' ? view : undefined;
    });
    expect(student.statusName).toBe('休学');
    expect((await getJson('/admin/api/batches/B-DEAD')).archive).toMatchObject({ applied: 1, dead: 0 });
    expect((await getJson('/admin/api/dead-letters?batch=B-DEAD')).deadLetters).toHaveLength(0);
    const batchPage = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/batches/B-DEAD' }));
    expect(batchPage.body).toContain('此前 STUDENT_NOT_FOUND');
  });

  it('pushes without a batch counted apart', async () => {
    const before = (await getJson('/admin/api/batches')).unbatched;
    await finished(await push({ xh: 'N-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_mx_list: [statusChange('01', '在读')] }));

    const { batches, unbatched } = await getJson('/admin/api/batches');
    expect(unbatched).toEqual({ ...before, total: before.total + 1, applied: before.applied + 1 });
    expect(batches.every((batch: { batchNo: string | null }) => batch.batchNo !== null)).toBe(true);
    const page = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/batches' }));
    expect(page.body).toContain(`另有 ${unbatched.total} 条推送没有批次号`);
  });

  it('batches listed newest first', async () => {
    const { batches } = await getJson('/admin/api/batches');
    const names = batches.map((batch: { batchNo: string }) => batch.batchNo);
    expect(names.indexOf('B-FIX')).toBeLessThan(names.indexOf('B-DEAD'));
  });

  it('student found by old number, personal data masked', async () => {
    await finished(await push({ xh: 'A-1', bg_sj: '20240901080000', cz_lx: 'ADD', sfzh: ID_NUMBER, bg_mx_list: [classChange('C1')] }));
    await finished(await push({ xh: 'A-2', bg_sj: '20240902080000', bg_mx_list: [numberChange('A-1', 'A-2')] }));

    const response = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/api/students/A-1' }));
    const student = response.json();
    expect(student).toMatchObject({ studentNo: 'A-2', matchedBy: 'alias', idNumberMasked: '110105********002X' });
    expect(student.aliases.map((alias: { studentNo: string }) => alias.studentNo)).toEqual(['A-1']);
    expect(student.changes.map((change: { changeType: string; outcome: string }) => [change.changeType, change.outcome])).toEqual([
      ['KZ_BJ_ID', 'APPLIED'],
      ['XH', 'APPLIED'],
    ]);
    expect(response.body).not.toContain(ID_NUMBER);
    expect(response.body).not.toMatch(/Sealed|Hash/);

    const page = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/students/A-1' }));
    expect(page.body).toContain('是旧学号');
    expect(page.body).not.toContain(ID_NUMBER);
  });

  it('worker metrics move with pushes', async () => {
    const samples = parsePrometheusText(await workerRegistry.metrics());
    expect(sampleValue(samples, 'student_sync_jobs_completed_total')).toBeGreaterThanOrEqual(4);
    expect(sampleValue(samples, 'student_sync_dead_letters_total', { error_code: 'STUDENT_NOT_FOUND' })).toBe(1);
    expect(sampleValue(samples, 'student_sync_job_duration_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sampleValue(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(await adminSamples(), 'student_sync_queue_jobs', { queue: 'student-changes', state: 'completed' })).toBeGreaterThanOrEqual(4);
  });

  it('page escapes batch number', async () => {
    await finished(await push({ xh: 'X-1', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: '<b>"x"</b>' }));
    const page = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/batches' }));
    expect(page.body).toContain('&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
    expect(page.body).not.toContain('<b>"x"</b>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
