import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { Keyring } from '@student-sync/privacy';
import { PUSH_QUEUE } from '@student-sync/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISABLED_CLIENT, MD5_CLIENT } from '../../apps/ingress/src/testing/harness.ts';
import { FaultStack } from '../faults/support/stack.ts';
import { BAD_INPUT_CASES } from './cases.ts';
import { countJobs } from './inspect.ts';

/** Rounds over the corpus against the real process: 2,580 requests and 97 MB of bodies. */
const ROUNDS = 30;
/** Maximum tries of an oversize request, whose upload the ingress may cut short after responding 413. */
const OVERSIZE_ATTEMPTS = 3;
/** Resident memory growth allowed over those rounds, after a warm-up round; generous, because RSS also contains freed pages. */
const MAX_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

/** Raw HTTP requests that Node's parser rejects before the app receives them. */
const MALFORMED_HTTP: Array<[name: string, request: string]> = [
  ['not HTTP at all', 'hello\r\n\r\n'],
  ['header name with a space', 'POST /api/v1/student-changes HTTP/1.1\r\nHost: x\r\nbad header: 1\r\n\r\n'],
  ['header value with a NUL byte', 'POST /api/v1/student-changes HTTP/1.1\r\nHost: x\r\napp-key: a\0b\r\n\r\n'],
  ['headers over 16 KB', `POST /api/v1/student-changes HTTP/1.1\r\nHost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`],
  ['Content-Length and Transfer-Encoding together', 'POST /api/v1/student-changes HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ['negative Content-Length', 'POST /api/v1/student-changes HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
  ['invalid chunk size', 'POST /api/v1/student-changes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n'],
];

describe('ingress process under bad input over HTTP', () => {
  let stack: FaultStack;
  let pid: number;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 0 });
    await addCorpusClients(stack);
    pid = pidOf(stack.ingress.lines);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it.each(MALFORMED_HTTP)('answers %s with HTTP 4xx and stays up', async (_name, request) => {
    const status = await sendRaw(Number(stack.env.INGRESS_PORT), request);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect((await fetch(`${stack.ingressUrl}/healthz`)).status).toBe(200);
  });

  it('answers every corpus case with its code over HTTP', async () => {
    for (const testCase of BAD_INPUT_CASES) {
      const envelope = (await (await send(testCase.request(), testCase.code)).json()) as { resp_code: string };
      expect(envelope.resp_code, testCase.name).toBe(testCase.code);
    }
  });

  it('keeps resident memory bounded and enqueues nothing', { timeout: 180_000 }, async () => {
    for (const testCase of BAD_INPUT_CASES) await (await send(testCase.request(), testCase.code)).arrayBuffer();
    const before = await residentBytes(pid);

    for (let round = 0; round < ROUNDS; round += 1) {
      for (const testCase of BAD_INPUT_CASES) await (await send(testCase.request(), testCase.code)).arrayBuffer();
    }
    const after = await residentBytes(pid);

    expect(after - before, `RSS ${before} -> ${after} bytes`).toBeLessThan(MAX_RSS_GROWTH_BYTES);
    expect(stack.ingress.running).toBe(true);
    expect(await queuedJobs(stack)).toBe(0);
  });

  /**
   * Posts a corpus request. The ingress responds to an oversize body (2003) with 413 and closes the
   * connection before the rest of the body arrives, as Fastify does for body errors. fetch may
   * then fail with EPIPE while still writing, so only those cases are tried up to three times.
   */
  async function send(request: ReturnType<(typeof BAD_INPUT_CASES)[number]['request']>, code: string): Promise<Response> {
    // HTTP carries header bytes; non-Latin-1 text (full-width digits) goes out as its UTF-8 bytes, as a sender's would.
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).flatMap(([name, value]) => (typeof value === 'string' ? [[name, Buffer.from(value, 'utf8').toString('latin1')]] : [])),
    );
    const attempts = code === '2003' ? OVERSIZE_ATTEMPTS : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fetch(`${stack.ingressUrl}${request.url as string}`, { method: 'POST', headers, body: request.payload as Buffer | string });
      } catch (error) {
        const cause = (error as Error & { cause?: NodeJS.ErrnoException }).cause;
        const cutShort = cause?.code === 'EPIPE' || cause?.code === 'ECONNRESET';
        if (!cutShort || attempt >= attempts) throw error;
      }
    }
  }
});

/** Registers the corpus's app-keys with the sign keys the corpus signs with, sealed as the client store seals them. */
async function addCorpusClients(stack: FaultStack): Promise<void> {
  const keyring = Keyring.parse(stack.keys.PII_ENCRYPTION_KEYS);
  for (const client of [MD5_CLIENT, DISABLED_CLIENT]) {
    await stack.prisma.apiClient.create({
      data: { appKey: client.appKey, name: client.appKey, signScheme: client.scheme, enabled: client.enabled, signKeySealed: keyring.seal(client.signKeys[0]!) },
    });
  }
}

/** Reads the process id from the ingress's start log line. */
function pidOf(lines: string[]): number {
  const started = lines.find((line) => line.includes('ingress started'));
  return (JSON.parse(started!) as { pid: number }).pid;
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return Number(kilobytes) * 1024;
}

/** Writes `request` on a new connection and returns the HTTP status of the response. */
async function sendRaw(port: number, request: string): Promise<number> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(request);
  let response = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (response += chunk));
  await once(socket, 'close');
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
}

async function queuedJobs(stack: FaultStack): Promise<number> {
  const connection = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(PUSH_QUEUE, { connection, prefix: stack.env.QUEUE_PREFIX });
  try {
    return await countJobs(queue);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
