import { pushBody } from '@student-sync/domain/testing';
import { Keyring } from '@student-sync/privacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../../../../tests/support/index.ts';
import { addPushJob, pushJobData } from '../../../worker/src/testing/push-jobs.ts';
import { as, OPERATOR, startTestAdmin, type TestAdmin } from '../testing/harness.ts';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startTestAdmin();
});

afterAll(async () => {
  await admin?.close();
});

async function list(query: string) {
  return admin.app.inject(as(OPERATOR, { method: 'GET', url: `/admin/api/dead-letters?${query}` }));
}

describe('dead-letter time filter', () => {
  it.each(['from=20261205110000', 'from=2026-12-05T11:00:00%2B08:00', 'to=2026-12-05T03:00:00Z', 'from=20261205000000&to=20261206000000'])('accepts %s', async (query) => {
    const response = await list(query);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().deadLetters).toEqual([]);
  });

  it.each([
    ['from=yesterday', 'from "yesterday" 格式无效'],
    ['to=2026-12-05T11:00:00', 'to "2026-12-05T11:00:00" 格式无效'],
    ['from=20261306000000', 'from "20261306000000" 格式无效'],
    ['from=20261206000000&to=20261205000000', 'from (20261206000000) 必须早于 to (20261205000000)'],
  ])('rejects %s with 400', async (query, message) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(message);
  });

  it.each(['batch=%20', 'appKey=%20%20', 'errorCode=%09'])('rejects blank %s with 400', async (query) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^(batch|appKey|errorCode) 不能只包含空白字符/);
  });

  it('rejects an unknown error code', async () => {
    const response = await list('errorCode=NOPE');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^errorCode "NOPE" 不是已知的错误码, 可选: INVALID_JOB_DATA, INVALID_PUSH, .*STUDENT_NOT_FOUND/);
  });

  it('reads an error code in any case', async () => {
    const response = await list('errorCode=student_not_found');
    expect(response.statusCode).toBe(200);
  });

  it('rejects a blank id in a replay', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { ids: ['demo.x', ' '], dryRun: true } }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('ids 不能只包含空白字符');
  });

  it('trims a batch number', async () => {
    const keyring = Keyring.parse(testKeys().PII_ENCRYPTION_KEYS);
    const push = pushJobData(pushBody({ xh: 'TRIM-S1', bg_sj: '20261205090000', bg_pch: 'TRIM-1' }), keyring);
    const failedAt = new Date().toISOString();
    const letter = { push, originalJobId: 'demo.trim', errorCode: 'STUDENT_NOT_FOUND', errorMessage: 'not found', attemptsMade: 1, reason: 'permanent', firstFailedAt: failedAt, lastFailedAt: failedAt };
    await admin.deadLetters.add('dead TRIM/S1', letter as never, { jobId: 'demo.trim' });
    const response = await list('batch=%20TRIM-1%20');
    await admin.deadLetters.remove('demo.trim');

    expect(response.statusCode).toBe(200);
    expect(response.json().deadLetters.map((found: { id: string }) => found.id)).toEqual(['demo.trim']);
  });

  it('page keeps the form on an invalid filter', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/dead-letters?batch=B1&from=2025-10-01', headers: { accept: 'text/html' } }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('筛选条件无效 (invalid filter): from &quot;2025-10-01&quot; 格式无效');
    expect(response.body).toContain('<input name="from" value="2025-10-01"');
    expect(response.body).toContain('<input name="batch" value="B1"');
  });

  it('empty form fields count as absent', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/dead-letters?batch=&appKey=&errorCode=&from=&to=' }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('没有符合条件的死信');
  });
});

describe('misspelled filter fields', () => {
  it.each(['since=2099', 'batch_no=P1&limit=5'])('listing with %s gets 400', async (query) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(`未知字段 (unknown field) "${query.split('=')[0]}"`);
  });

  it('suggests the misspelled field', async () => {
    const response = await list('since=20991231000000');
    expect(response.json().message).toContain('since → from');
    expect(response.json().message).toContain('可用字段 (allowed fields): batch, appKey, errorCode, from, to, limit');
  });

  it('replay with an unknown field replays nothing', async () => {
    await admin.deadLetters.add('dead P1/S1', {} as never, { jobId: 'demo.kept' });
    const response = await admin.app.inject(
      as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { since: '20991231000000', batch_no: 'NOPE' } }),
    );

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/未知字段 \(unknown field\) "(since|batch_no)"/);
    expect(await admin.deadLetters.getJobState('demo.kept')).toBe('waiting');
  });
});

describe('unknown query fields', () => {
  it.each([
    ['/admin/api/batches?limt=5', '未知字段 (unknown field) "limt"'],
    ['/admin/api/batches?page=2', '未知字段 (unknown field) "page"'],
    ['/admin/api/batches/P1?foo=1', '此接口不接受查询参数 (takes no query parameters) foo'],
    ['/admin/api/students/S1?foo=1', '此接口不接受查询参数 (takes no query parameters) foo'],
  ])('GET %s gets 400', async (url, message) => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(message);
    expect(response.json().message).not.toContain('JSON 请求体');
  });

  it('replay with a filter in the URL gets 400', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay?batch=P1', payload: { dryRun: true } }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('此接口不接受查询参数 (takes no query parameters) batch, 过滤条件请放在 JSON 请求体中');
  });
});

describe('field rules in Chinese', () => {
  it.each([
    ['limit=0', '查询参数 limit 不能小于 1 (querystring/limit must be >= 1)'],
    ['limit=lots', '查询参数 limit 必须是整数'],
    [`batch=${'P'.repeat(129)}`, '查询参数 batch 最多 128 个字符'],
  ])('listing with %s names the rule', async (query, message) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(message);
  });

  it.each([
    [{ ids: [] }, '请求体 ids 至少 1 项'],
    [{ ids: ['demo.a', ''] }, '请求体 ids[1] 不能为空'],
    [{ dryRun: 'maybe' }, '请求体 dryRun 必须是布尔值 (true 或 false)'],
  ])('replay of %j names the rule', async (payload, message) => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload }));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(message);
  });
});

describe('replay body errors in Chinese', () => {
  it.each([
    ['{"dryRun": tru', 'application/json', 400, '请求体不是合法的 JSON'],
    ['', 'application/json', 400, '请求体为空'],
    ['dryRun=true', 'application/x-www-form-urlencoded', 415, 'Content-Type: application/json'],
    ['dryRun=true', 'text/plain', 400, '请求体 必须是 JSON 对象'],
  ])('body %j as %s gets %i', async (payload, contentType, status, message) => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload, headers: { 'content-type': contentType } }));
    expect(response.statusCode).toBe(status);
    expect(response.json().message).toContain(message);
  });
});

describe('replay by id', () => {
  it('reports an id that is not a dead letter', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { ids: ['demo.nope'], dryRun: true } }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ matched: [], missingIds: ['demo.nope'] });
  });
});

describe('batch look-up', () => {
  it('an unknown batch gets 404', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/api/batches/NOPE-1' }));
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toContain('没有批次号为 NOPE-1 的推送');
  });

  it('the page of an unknown batch gets 404', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/batches/NOPE-2', headers: { accept: 'text/html' } }));
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('没有批次号为 NOPE-2 的推送');
  });

  it('a batch with only queued pushes is found', async () => {
    const keyring = Keyring.parse(testKeys().PII_ENCRYPTION_KEYS);
    await admin.pushQueue.pause();
    await addPushJob(admin.pushQueue, pushBody({ xh: 'Q-1', bg_sj: '20261205090000', bg_pch: 'QUEUED-1' }), keyring, { attempts: 1, backoffBaseMs: 10 });
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/api/batches/QUEUED-1' }));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().archive.total).toBe(0);
    expect(response.json().queue.waiting + response.json().queue.delayed).toBe(1);
  });
});
