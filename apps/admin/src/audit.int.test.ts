import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, OPERATOR, startTestAdmin, type TestAdmin } from './testing/harness.ts';

let admin: TestAdmin;
const lines: string[] = [];

beforeAll(async () => {
  admin = await startTestAdmin({ logLines: lines });
});

afterAll(async () => {
  await admin?.close();
});

/** Returns the audit lines written since `from`, parsed. */
function auditLines(from: number): Array<{ msg: string; user?: string; statusCode?: number }> {
  return lines
    .slice(from)
    .map((line) => JSON.parse(line) as { msg: string; user?: string; statusCode?: number })
    .filter((line) => line.msg === 'admin dry run' || line.msg === 'admin change request');
}

describe('admin audit log', () => {
  it('tells a dry run from a change', async () => {
    const start = lines.length;
    await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { dryRun: true } }));
    await admin.app.inject(as(OPERATOR, { method: 'POST', url: '/admin/api/dead-letters/replay', payload: { ids: ['demo.none'] } }));

    expect(auditLines(start)).toEqual([
      expect.objectContaining({ msg: 'admin dry run', user: OPERATOR.username, statusCode: 200 }),
      expect.objectContaining({ msg: 'admin change request', user: OPERATOR.username, statusCode: 200 }),
    ]);
  });
});
