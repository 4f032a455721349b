import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, OPERATOR, startTestAdmin, type TestAdmin } from './testing/harness.ts';

let admin: TestAdmin;

beforeAll(async () => {
  admin = await startTestAdmin();
});

afterAll(async () => {
  await admin?.close();
});

/** Parses a Content-Security-Policy header into its directives. */
function directivesOf(header: string | string[] | number | undefined): Map<string, string[]> {
  expect(typeof header).toBe('string');
  const entries = String(header)
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .filter((words) => words[0] !== '')
    .map(([name, ...sources]) => [name!, sources] as const);
  return new Map(entries);
}

const PAGES = ['/admin/batches', '/admin/dead-letters', '/admin/queues', '/admin/queues/queue/student-changes'];

describe('admin security headers', () => {
  it.each(PAGES)('page %s allows its own origin only', async (url) => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);

    const policy = directivesOf(response.headers['content-security-policy']);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    // Keywords such as 'self' are quoted, hosts and schemes are not.
    for (const source of policy.get('style-src')!) expect(source).toMatch(/^'[a-z-]+'$/);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('Bull Board page links a font stylesheet the policy blocks', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/queues' }));
    const external = [...response.body.matchAll(/<link[^>]+href="(https?:\/\/[^"]+)"/g)].map((match) => new URL(match[1]!));
    const policy = directivesOf(response.headers['content-security-policy']);

    // When a Bull Board upgrade drops or changes the link, this test shows it.
    expect(external.map((url) => url.host)).toEqual(['fonts.googleapis.com']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('font-src')).toEqual(["'self'", 'data:']);
  });

  it('console pages keep their stricter style policy', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/batches' }));
    expect(directivesOf(response.headers['content-security-policy']).get('style-src')).toEqual(["'self'"]);
  });

  it.each(['/admin/api/batches', '/admin/api/dead-letters', '/admin/api/students/S1', '/admin/queues/api/queues'])('API %s is not cached', async (url) => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url }));
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('static asset keeps its own cache policy', async () => {
    const response = await admin.app.inject(as(OPERATOR, { method: 'GET', url: '/admin/assets/admin.js' }));
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('401 responses carry the policy too', async () => {
    const response = await admin.app.inject(as(null, { method: 'GET', url: '/admin/batches' }));
    expect(response.statusCode).toBe(401);
    expect(directivesOf(response.headers['content-security-policy']).get('default-src')).toEqual(["'self'"]);
  });
});
