import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ name: 'test', level: 'info', destination });
  return { log, output: () => lines.join('') };
}

describe('createLogger', () => {
  it('redacts signing headers and cookies of a request', () => {
    const { log, output } = captureLogger();
    const headers = { 'x-sign': 'abcdef0123456789', 'sign-key': 'sk-123', authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=42', 'app-key': 'efutong' };
    log.info({ req: { headers } }, 'request received');
    expect(output()).not.toMatch(/abcdef0123456789|sk-123|dXNlcjpwYXNz|sid=42/);
    expect(output()).toContain('efutong');
  });

  it('redacts personal data and sealed values at any of three levels', () => {
    const { log, output } = captureLogger();
    log.info({ sfzh: '110105200601011234', student: { bankCard: '6222020200112233445' }, job: { data: { bodySealed: 'v1.k1.iv.ct' } } }, 'push');
    expect(output()).not.toMatch(/110105200601011234|6222020200112233445|v1\.k1\.iv\.ct/);
    expect(output()).toContain('[REDACTED]');
  });

  it('redacts a client sign key', () => {
    const { log, output } = captureLogger();
    log.info({ client: { appKey: 'efutong', signKey: 'topsecret', signKeys: ['a1', 'b2'] } }, 'client loaded');
    expect(output()).not.toMatch(/topsecret|"a1"/);
  });
});
