import { computeSignature, formatTimestamp, RESPONSE_CODES, signatureMatches } from '@student-sync/protocol';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, sendAll, type SendOptions, shouldResend } from './send-all.ts';
import { type PushTarget } from './signed-request.ts';
import { summarize } from './summary.ts';

const SIGN_KEY = 'unit-sign-key';

/** Stands in for the ingress: checks the signature, then replies with the scripted code of the body. */
class FakeIngress {
  readonly received: Buffer[] = [];
  /** Response codes per body text, used in order, then 0000. */
  readonly script = new Map<string, string[]>();
  signResponses = true;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1/student-changes`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    this.received.push(body);

    const headers = { appKey: String(request.headers['app-key']), timestamp: String(request.headers['timestamp']) };
    const signed = signatureMatches('MD5', { body, ...headers, signKey: SIGN_KEY }, String(request.headers['x-sign']));
    const code = signed ? (this.script.get(body.toString('utf8'))?.shift() ?? '0000') : '1004';
    const reply = Buffer.from(JSON.stringify({ resp_code: code, resp_msg: RESPONSE_CODES[code as '0000'].message, resp_data: {} }));

    const timestamp = formatTimestamp(new Date());
    const signKey = this.signResponses ? SIGN_KEY : 'other-key';
    response.writeHead(RESPONSE_CODES[code as '0000'].httpStatus, {
      'content-type': 'application/json; charset=utf-8',
      'app-key': headers.appKey,
      timestamp,
      'x-sign': computeSignature('MD5', { body: reply, appKey: headers.appKey, timestamp, signKey }),
    });
    response.end(reply);
  }
}

describe('sendAll against a local HTTP server', () => {
  const ingress = new FakeIngress();
  let target: PushTarget;
  const options = (): SendOptions => ({ target, concurrency: 4, maxAttempts: 3, timeoutMs: 5_000, baseBackoffMs: 1, maxBackoffMs: 5 });

  beforeAll(async () => {
    target = { url: await ingress.start(), appKey: 'unit', signKey: SIGN_KEY, scheme: 'MD5' };
  });
  afterAll(() => ingress.stop());

  it('sends the exact bytes, signed', async () => {
    const body = Buffer.from('{"xh": "1",  "xm":"张三"}');
    const [outcome] = await sendAll([body], options());
    expect(outcome?.result).toMatchObject({ kind: 'response', respCode: '0000', signatureValid: true });
    expect(ingress.received.at(-1)?.equals(body)).toBe(true);
  });

  it('resends after 3001 and 9999 until accepted', async () => {
    ingress.script.set('{"n":1}', ['3001', '9999']);
    const [outcome] = await sendAll([Buffer.from('{"n":1}')], options());
    expect(outcome?.attempts).toBe(3);
    expect(outcome?.result).toMatchObject({ respCode: '0000' });
  });

  it('stops after max attempts', async () => {
    ingress.script.set('{"n":2}', ['3002', '3002', '3002', '3002']);
    const [outcome] = await sendAll([Buffer.from('{"n":2}')], options());
    expect(outcome?.attempts).toBe(3);
    expect(outcome?.result).toMatchObject({ respCode: '3002', httpStatus: 503 });
  });

  it('does not resend a validation failure', async () => {
    ingress.script.set('{"n":3}', ['2002']);
    const [outcome] = await sendAll([Buffer.from('{"n":3}')], options());
    expect(outcome?.attempts).toBe(1);
    expect(outcome?.result).toMatchObject({ respCode: '2002' });
  });

  it('reports a wrong sign key as 1004', async () => {
    const [outcome] = await sendAll([Buffer.from('{"n":4}')], { ...options(), target: { ...target, signKey: 'wrong' } });
    expect(outcome?.result).toMatchObject({ respCode: '1004' });
  });

  it('flags a response signed with another key', async () => {
    ingress.signResponses = false;
    try {
      const [outcome] = await sendAll([Buffer.from('{"n":5}')], options());
      expect(outcome?.result).toMatchObject({ respCode: '0000', signatureValid: false });
    } finally {
      ingress.signResponses = true;
    }
  });

  it('returns outcomes in input order and summarizes them', async () => {
    ingress.script.set('{"n":7}', ['2002']);
    const bodies = [6, 7, 8].map((n) => Buffer.from(`{"n":${n}}`));
    const outcomes = await sendAll(bodies, options());
    expect(outcomes.map((o) => o.index)).toEqual([0, 1, 2]);
    const summary = summarize(outcomes, 1000);
    expect(summary.accepted).toBe(2);
    expect(summary.rows.map((row) => [row.code, row.count])).toEqual([
      ['0000', 2],
      ['2002', 1],
    ]);
  });

  it('reports a refused connection as a network error after its attempts', async () => {
    const closed = { ...target, url: `http://127.0.0.1:${await closedPort()}/closed` };
    const [outcome] = await sendAll([Buffer.from('{}')], { ...options(), target: closed });
    expect(outcome?.attempts).toBe(3);
    expect(outcome?.result).toEqual({ kind: 'failed', message: '连接失败 (ECONNREFUSED)' });
  });

  it('names a port that fetch refuses', async () => {
    const blocked = { ...target, url: 'http://127.0.0.1:9/discard' };
    const [outcome] = await sendAll([Buffer.from('{}')], { ...options(), target: blocked });
    expect(outcome?.result.kind === 'failed' ? outcome.result.message : '').toContain('fetch 不允许连接这个端口');
    // Nothing was sent, and sending again cannot help.
    expect(outcome?.attempts).toBe(1);
  });
});

describe('shouldResend', () => {
  it('follows the resend flag of each response code', () => {
    for (const [code, entry] of Object.entries(RESPONSE_CODES)) {
      const result = { kind: 'response' as const, httpStatus: entry.httpStatus, respCode: code, respMsg: '', signatureValid: true };
      expect(shouldResend(result), code).toBe(entry.resend);
    }
  });

  it('resends a 5xx without an envelope, not a 4xx', () => {
    expect(shouldResend({ kind: 'response', httpStatus: 502, respCode: 'NO_ENVELOPE', respMsg: '', signatureValid: false })).toBe(true);
    expect(shouldResend({ kind: 'response', httpStatus: 404, respCode: 'NO_ENVELOPE', respMsg: '', signatureValid: false })).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt within the jitter range and stays under the cap', () => {
    for (let i = 0; i < 50; i++) {
      const third = backoffMs(3, 100, 10_000);
      expect(third).toBeGreaterThanOrEqual(200);
      expect(third).toBeLessThanOrEqual(400);
      expect(backoffMs(20, 100, 1_000)).toBeLessThanOrEqual(1_000);
    }
  });
});

/** Returns a loopback port that nothing listens on, found by opening and closing a server. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
