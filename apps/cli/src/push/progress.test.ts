import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createSendProgress } from './progress.ts';

/** Creates a stream that is not a terminal and collects what is written to it. */
function logStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let text = '';
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

describe('send progress without a terminal', () => {
  it('reports resends and their cause', async () => {
    const { stream, text } = logStream();
    const progress = createSendProgress(3, stream, 20);
    progress.resent({ kind: 'failed', message: 'connect ECONNREFUSED 127.0.0.1:8080' });
    progress.settled({ index: 0, attempts: 1, result: { kind: 'response', httpStatus: 200, respCode: '0000', respMsg: '成功', signatureValid: true } });
    await sleep(80);
    progress.stop();

    const lines = text().trim().split('\n');
    expect(lines).toEqual(['发送中 (sending): 1/3, 已接受 1, 未接受 0, 重发 1, 最近一次重发原因 (last resend cause): connect ECONNREFUSED 127.0.0.1:8080']);
  });

  it('writes nothing after stop', async () => {
    const { stream, text } = logStream();
    const progress = createSendProgress(2, stream, 20);
    progress.stop();
    await sleep(60);
    expect(text()).toBe('');
  });
});
