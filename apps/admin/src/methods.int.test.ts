import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePattern } from './route-table.ts';
import { as, OPERATOR, startTestAdmin, type TestAdmin } from './testing/harness.ts';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startTestAdmin();
});

afterAll(async () => {
  await admin?.close();
});

describe('routePattern', () => {
  it.each([
    ['/admin/api/batches/:bgPch', '/admin/api/batches/B-1', true],
    ['/admin/api/batches/:bgPch', '/admin/api/batches/B-1/x', false],
    ['/admin/queues/static/*', '/admin/queues/static/js/main.js', true],
    ['/admin/api/dead-letters/replay', '/admin/api/dead-letters/replay/', true],
    ['/metrics', '/metricsx', false],
  ])('%s against %s', (route, path, matches) => {
    expect(routePattern(route).test(path)).toBe(matches);
  });
});

describe('wrong method on a known path', () => {
  it.each([
    ['GET', '/admin/api/dead-letters/replay', 'POST'],
    ['PUT', '/admin/api/dead-letters/replay', 'POST'],
    ['POST', '/admin/api/batches', 'GET'],
    ['DELETE', '/admin/api/batches/B-1', 'GET'],
  ] as const)('%s %s gets 405 naming %s', async (method, url, allowed) => {
    const response = await admin.app.inject(as(OPERATOR, { method, url }));
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toContain(allowed);
    expect(response.json()).toMatchObject({ error: 'method_not_allowed', message: `${url} 只接受 ${allowed} 请求 (accepts ${allowed} only)` });
  });

  it('unknown path still gets 404', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/api/nothing-here' }));
    expect(response.statusCode).toBe(404);
  });

  it('stranger gets 401 before 405', async () => {
    const response = await admin.app.inject(as(null, { method: 'GET', url: '/admin/api/dead-letters/replay' }));
    expect(response.statusCode).toBe(401);
  });
});

describe('long path parameters', () => {
  it('takes a batch number of 128 characters', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: `/admin/api/batches/${'B'.repeat(128)}` }));
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toContain('没有批次号为 BBBB');
  });

  it('rejects an overlong parameter in Chinese', async () => {
    const response = await admin.app.inject(as(null, { method: 'GET', url: `/admin/api/students/${'9'.repeat(400)}` }));
    expect(response.statusCode).toBe(414);
    expect(response.json().message).toBe('路径中的批次号或学号过长, 最多 300 个字符 (path parameter too long)');
  });
});
