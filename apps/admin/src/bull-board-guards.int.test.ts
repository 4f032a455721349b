import { type Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, OPERATOR, startTestAdmin, type TestAdmin, VIEWER } from './testing/harness.ts';

let admin: TestAdmin;
const ids = { completed: 'demo.completed', failed: 'demo.failed', waiting: 'demo.waiting', delayed: 'demo.delayed', dead: 'demo.dead' };

beforeAll(async () => {
  admin = await startTestAdmin();
  const { pushQueue, deadLetters } = admin;
  // These routes do not read job data, so an empty object replaces a push.
  await pushQueue.add('P1/S1', {} as never, { jobId: ids.completed, attempts: 1 });
  await pushQueue.add('P1/S2', {} as never, { jobId: ids.failed, attempts: 1 });
  await finishQueuedJobs();
  await pushQueue.add('P1/S3', {} as never, { jobId: ids.waiting });
  await pushQueue.add('P1/S4', {} as never, { jobId: ids.delayed, delay: 3_600_000 });
  await deadLetters.add('dead P1/S5', {} as never, { jobId: ids.dead });
});

afterAll(async () => {
  await admin?.close();
});

/** Runs a worker until both queued jobs finish: the completed one succeeds and the failed one throws. */
async function finishQueuedJobs(): Promise<void> {
  const connection = admin.redis.duplicate({ maxRetriesPerRequest: null });
  const worker = new Worker(
    admin.pushQueue.name,
    async (job: Job) => {
      if (job.id === ids.failed) throw new Error('fails on purpose');
      return 'done';
    },
    { connection, prefix: admin.prefix },
  );
  const deadline = Date.now() + 10_000;
  while ((await admin.pushQueue.getJobState(ids.failed)) !== 'failed' || (await admin.pushQueue.getJobState(ids.completed)) !== 'completed') {
    if (Date.now() > deadline) throw new Error('test jobs did not finish within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await worker.close();
  connection.disconnect();
}

function put(url: string, payload: Record<string, unknown> = {}) {
  return admin.app.inject(as(OPERATOR, { method: 'PUT', url: `/admin/queues/api/queues/${url}`, payload }));
}

function patch(url: string, payload: Record<string, unknown>) {
  return admin.app.inject(as(OPERATOR, { method: 'PATCH', url: `/admin/queues/api/queues/${url}`, payload }));
}

describe('Bull Board promotion', () => {
  it.each([
    ['student-changes', ids.waiting, '该任务的状态是 waiting'],
    ['student-changes', ids.completed, '该任务的状态是 completed'],
    ['student-changes-dead', ids.dead, '死信请在“批次与死信”页面或用 student-sync replay 重放'],
  ])('promoting %s job %s gets 409', async (queue, jobId, hint) => {
    const response = await put(`${queue}/${jobId}/promote`);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain(hint);
  });

  it('promotes a delayed push job', async () => {
    const job = await admin.pushQueue.add('P1/S6', {} as never, { jobId: 'demo.promoted', delay: 3_600_000 });
    const response = await put('student-changes/demo.promoted/promote');
    expect(response.statusCode, response.body).toBe(204);
    expect(await admin.pushQueue.getJobState('demo.promoted')).toBe('waiting');
    await job.remove();
  });
});

describe('Bull Board removals by an operator', () => {
  it.each(['student-changes/empty', 'student-changes/obliterate', 'student-changes-dead/empty', 'student-changes-dead/obliterate'])('PUT %s gets 409', async (url) => {
    const response = await put(url);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain('清空或删除整个队列');
  });

  it.each(['student-changes/clean/waiting', 'student-changes/clean/delayed', 'student-changes/clean/active', 'student-changes-dead/clean/waiting', 'student-changes-dead/clean/failed'])(
    'PUT %s gets 409',
    async (url) => {
      const response = await put(url);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ statusCode: 409, error: 'conflict' });
    },
  );

  it.each([
    ['student-changes', ids.waiting, 'waiting'],
    ['student-changes', ids.delayed, 'delayed'],
    ['student-changes-dead', ids.dead, 'waiting'],
  ])('removing %s job %s gets 409', async (queue, jobId, state) => {
    const response = await put(`${queue}/${jobId}/clean`);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain(`删除状态为 ${state} 的任务`);
  });

  it('unfinished jobs survive the rejected requests', async () => {
    expect(await admin.pushQueue.getJobState(ids.waiting)).toBe('waiting');
    expect(await admin.pushQueue.getJobState(ids.delayed)).toBe('delayed');
    expect(await admin.deadLetters.getJobState(ids.dead)).toBe('waiting');
  });

  it('removing finished push jobs is allowed', async () => {
    expect((await put(`student-changes/${ids.failed}/clean`)).statusCode).toBeLessThan(300);
    expect(await admin.pushQueue.getJobState(ids.failed)).toBe('unknown');
    expect((await put(`student-changes/${ids.completed}/clean`)).statusCode).toBeLessThan(300);
    expect(await admin.pushQueue.getJobState(ids.completed)).toBe('unknown');
  });

  it.each(['student-changes/clean/completed', 'student-changes/clean/failed', 'student-changes-dead/clean/completed'])('PUT %s is allowed', async (url) => {
    expect((await put(url)).statusCode).toBeLessThan(300);
  });

  it('unknown job falls through to Bull Board', async () => {
    const response = await put('student-changes/demo.missing/clean');
    expect(response.statusCode).toBe(404);
  });

  it('encoded queue name is still guarded', async () => {
    const response = await put('student%2Dchanges/empty');
    expect(response.statusCode).toBe(409);
  });
});

describe('Bull Board throttles by an operator', () => {
  it.each([
    ['student-changes/rate-limit', { max: 1, duration: 60_000 }],
    ['student-changes/concurrency', { concurrency: 1 }],
    ['student-changes-dead/concurrency', { concurrency: 2 }],
  ])('PUT %s %j gets 409', async (url, payload) => {
    const response = await put(url, payload);
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain('WORKER_CONCURRENCY');
  });

  it('queue settings stay unset after the rejected requests', async () => {
    expect(await admin.pushQueue.getGlobalConcurrency()).toBeNull();
    expect(await admin.redis.hget(`${admin.prefix}:${admin.pushQueue.name}:meta`, 'max')).toBeNull();
  });

  it.each([
    ['student-changes/rate-limit', { max: null }],
    ['student-changes/concurrency', { concurrency: 0 }],
  ])('removing with PUT %s %j is allowed', async (url, payload) => {
    expect((await put(url, payload)).statusCode).toBeLessThan(300);
  });

  it.each([
    [`student-changes/${ids.delayed}/delay`, { delay: 2_592_000_000 }],
    [`student-changes/${ids.waiting}/priority`, { priority: 5 }],
    [`student-changes-dead/${ids.dead}/priority`, { priority: 5 }],
  ])('PATCH %s gets 409', async (url, payload) => {
    expect((await patch(url, payload)).statusCode).toBe(409);
  });

  it('viewer gets a plain 403', async () => {
    const response = await admin.app.inject(as(VIEWER, { method: 'PUT', url: '/admin/queues/api/queues/student-changes/empty', payload: {} }));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ statusCode: 403, error: 'forbidden', message: expect.stringContaining('只读账号') });
  });
});
