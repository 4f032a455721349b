import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, OPERATOR, startTestAdmin, type TestAdmin, VIEWER } from './testing/harness.ts';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startTestAdmin();
});

afterAll(async () => {
  await admin?.close();
});

const PROTECTED_GETS = [
  '/admin/batches',
  '/admin/batches/P1',
  '/admin/students/S1',
  '/admin/dead-letters',
  '/admin/api/batches',
  '/admin/api/batches/P1',
  '/admin/api/students/S1',
  '/admin/api/dead-letters',
  '/admin/assets/admin.js',
  '/admin/queues',
  '/admin/queues/api/queues',
  '/admin/queues/static/favicon-32x32.png',
  '/admin/queues/static/locales/zh-CN/messages.json',
  '/metrics',
  '/no-such-path',
];

/** Bull Board's mutating API routes, as `<method> <path>`. */
const BULL_BOARD_WRITES = [
  'PUT /admin/queues/api/queues/student-changes/retry/failed',
  'PUT /admin/queues/api/queues/student-changes/clean/completed',
  'PUT /admin/queues/api/queues/student-changes/promote',
  'PUT /admin/queues/api/queues/student-changes/pause',
  'PUT /admin/queues/api/queues/student-changes/empty',
  'PUT /admin/queues/api/queues/student-changes-dead/some-job/clean',
  'PUT /admin/queues/api/queues/student-changes/some-job/retry',
  'PUT /admin/queues/api/queues/student-changes/some-job/promote',
  'POST /admin/queues/api/queues/student-changes/add',
];

describe('admin authentication', () => {
  it.each(PROTECTED_GETS)('unauthenticated GET %s gets 401', async (url) => {
    const response = await admin.app.inject(as(null, { method: 'GET', url }));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(response.json().message).toContain('ADMIN_USERNAME 和 ADMIN_PASSWORD');
  });

  it.each(PROTECTED_GETS.filter((url) => url !== '/no-such-path'))('read-only GET %s is allowed', async (url) => {
    const response = await admin.app.inject(as(VIEWER, { method: 'GET', url }));
    expect([200, 404]).toContain(response.statusCode);
    if (!url.includes('/S1') && !url.includes('/P1')) expect(response.statusCode).toBe(200);
  });

  it('health paths answer without credentials', async () => {
    expect((await admin.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await admin.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { redis: 'ok', database: 'ok', migrations: 'ok' } });
  });

  it.each(['/admin', '/admin/'])('%s leads to the batches', async (url) => {
    const response = await admin.app.inject(as(VIEWER, { method: 'GET', url }));
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/admin/batches');
  });

  it('wrong password gets 401', async () => {
    const response = await admin.app.inject(as({ ...OPERATOR, password: 'not-the-password' }, { method: 'GET', url: '/admin/batches' }));
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('用户名或密码错误');
  });

  it.each(BULL_BOARD_WRITES)('read-only %s gets 403', async (route) => {
    const [method, url] = route.split(' ') as ['PUT' | 'POST', string];
    const response = await admin.app.inject(as(VIEWER, { method, url, payload: {} }));
    expect(response.statusCode).toBe(403);
  });

  it('read-only replay gets 403', async () => {
    const response = await admin.app.inject(as(VIEWER, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { dryRun: true } }));
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain('请用操作员账号 (ADMIN_USERNAME) 登录');
  });

  it('operator replay dry run is allowed', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { dryRun: true } }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, matched: [], replayedIds: [] });
  });

  it('Bull Board is read-only for viewers only', async () => {
    const viewer = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/queues/api/queues' }));
    const operator = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/queues/api/queues' }));
    expect(viewer.json().queues.map((queue: { readOnlyMode: boolean }) => queue.readOnlyMode)).toEqual([true, true]);
    expect(operator.json().queues.map((queue: { readOnlyMode: boolean }) => queue.readOnlyMode)).toEqual([false, false]);
  });

  it.each([
    'PUT /admin/queues/api/queues/student-changes/retry/failed',
    'PUT /admin/queues/api/queues/student-changes-dead/retry/completed',
    'PUT /admin/queues/api/queues/student-changes/demo.0123abcd/retry',
    'POST /admin/queues/api/queues/student-changes/add',
    'PATCH /admin/queues/api/queues/student-changes/demo.0123abcd/update-data',
  ])('operator %s gets 409', async (route) => {
    const [method, url] = route.split(' ') as ['PUT' | 'POST' | 'PATCH', string];
    const response = await admin.app.inject(as(OPERATOR, { method, url, payload: { name: 'x', data: {} } }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ statusCode: 409, error: 'conflict' });
    expect(response.json().message).toContain('student-sync replay');
  });

  it('operator may still promote delayed jobs', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'PUT', url: '/admin/queues/api/queues/student-changes/promote' }));
    expect(response.statusCode).toBeLessThan(300);
  });

  it('Bull Board offers no retry button', async () => {
    const operator = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/queues/api/queues' }));
    expect(operator.json().queues.map((queue: { allowRetries: boolean }) => queue.allowRetries)).toEqual([false, false]);
  });

  it('forged role header does not make a viewer operator', async () => {
    const response = await admin.app.inject(
      as(VIEWER, { method: 'GET', url: '/admin/queues/api/queues', headers: { 'x-student-sync-admin-role': 'operator' } }),
    );
    expect(response.json().queues.map((queue: { readOnlyMode: boolean }) => queue.readOnlyMode)).toEqual([true, true]);
  });

  it('cross-site write is rejected', async () => {
    const response = await admin.app.inject(
      as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { dryRun: true }, headers: { origin: 'https://evil.example' } }),
    );
    expect(response.statusCode).toBe(403);
  });

  it('Bull Board page is in Chinese', async () => {
    const response = await admin.app.inject(as(VIEWER, { method: 'GET', url: '/admin/queues' }));
    expect(response.body).toContain('"lng":"zh-CN"');
  });
});

describe('login rate limit', () => {
  let limited: TestAdmin;
  beforeAll(async () => {
    limited = await startTestAdmin({ loginFailuresPerMinute: 3 });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('locks an address after repeated failures, correct password included', async () => {
    const wrong = as({ ...OPERATOR, password: 'guess-guess-guess' }, { method: 'GET', url: '/admin/api/batches' });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await limited.app.inject(wrong)).statusCode);
    expect(statuses).toEqual([401, 401, 429]);

    const correct = await limited.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/api/batches' }));
    expect(correct.statusCode).toBe(429);
    expect(Number(correct.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('login rate limit behind a proxy', () => {
  let proxied: TestAdmin;
  beforeAll(async () => {
    // Injected requests come from 127.0.0.1, which plays the proxy here.
    proxied = await startTestAdmin({ loginFailuresPerMinute: 2, trustedProxies: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  const from = (client: string, user: typeof OPERATOR) => as(user, { method: 'GET', url: '/admin/api/batches', headers: { 'x-forwarded-for': client } });

  it('locks the client address, not the proxy', async () => {
    const wrong = { ...OPERATOR, password: 'guess-guess-guess' };
    const statuses = [];
    for (let attempt = 0; attempt < 2; attempt += 1) statuses.push((await proxied.app.inject(from('203.0.113.5', wrong))).statusCode);
    expect(statuses).toEqual([401, 429]);

    expect((await proxied.app.inject(from('203.0.113.5', OPERATOR))).statusCode).toBe(429);
    expect((await proxied.app.inject(from('203.0.113.6', OPERATOR))).statusCode).toBe(200);
  });
});
