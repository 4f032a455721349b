import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPush, UNREADABLE_RESPONSE } from './send-push.ts';

/** Replies to each path with a fixed status and body that is not the push envelope. */
const replies: Record<string, { status: number; type: string; body: string }> = {
  '/wrong': { status: 404, type: 'application/json', body: JSON.stringify({ statusCode: 404, error: 'Not Found', message: '路径不存在, 推送接口是 POST /api/v1/student-changes' }) },
  '/proxy': { status: 502, type: 'text/html', body: '<html>\n  <body>Bad   Gateway</body>\n</html>' },
  '/empty': { status: 503, type: 'text/plain', body: '' },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const reply = replies[request.url ?? ''] ?? replies['/empty']!;
    request.resume();
    request.on('end', () => response.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (path: string) => sendPush({ url: `${base}${path}`, appKey: 'unit', signKey: 'unit-key', scheme: 'MD5' }, Buffer.from('{}'), 5_000);

describe('sendPush without an envelope', () => {
  it('keeps the server message of a JSON error', async () => {
    const result = await send('/wrong');
    expect(result).toMatchObject({ kind: 'response', httpStatus: 404, respCode: UNREADABLE_RESPONSE });
    expect(result).toMatchObject({ respMsg: 'HTTP 404: 路径不存在, 推送接口是 POST /api/v1/student-changes' });
  });

  it('quotes a text body on one line', async () => {
    const result = await send('/proxy');
    expect(result).toMatchObject({ kind: 'response', respMsg: 'HTTP 502: <html> <body>Bad Gateway</body> </html>' });
  });

  it('names the status of an empty body', async () => {
    const result = await send('/empty');
    expect(result).toMatchObject({ kind: 'response', respMsg: 'HTTP 503' });
  });
});
