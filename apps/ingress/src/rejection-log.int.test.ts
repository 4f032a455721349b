import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBody, signedRequest, startTestIngress, type TestIngress } from './testing/harness.ts';

let ingress: TestIngress;
const lines: string[] = [];

beforeAll(async () => {
  ingress = await startTestIngress({ logLines: lines });
});

afterAll(async () => {
  await ingress?.close();
});

/** Sends `request` and returns the level and message of the rejection line it logged. */
async function rejectionLine(request: InjectOptions): Promise<{ level: number; msg: string; respCode: string }> {
  const from = lines.length;
  await ingress.app.inject(request);
  const logged = lines.slice(from).map((line) => JSON.parse(line) as { level: number; msg: string; respCode: string });
  return logged.find((line) => line.msg.startsWith('push rejected'))!;
}

describe('rejection log level', () => {
  it.each([
    ['a wrong signature', { signKey: 'not-the-key' }, '1004'],
    ['an unknown app-key', { headers: { 'app-key': 'nobody' } }, '1002'],
  ])('warns about %s', async (_case, options, code) => {
    const line = await rejectionLine(signedRequest(JSON.stringify(pushBody()), options));
    expect(line).toMatchObject({ level: 40, respCode: code, msg: 'push rejected, sender not authenticated' });
  });

  it('logs an invalid body at info', async () => {
    const line = await rejectionLine(signedRequest(JSON.stringify(pushBody({ cz_lx: 'MOVE' }))));
    expect(line).toMatchObject({ level: 30, respCode: '2002', msg: 'push rejected' });
  });
});
