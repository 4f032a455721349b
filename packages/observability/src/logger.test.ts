import { spawnSync } from 'node:child_process';
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

  it('redacts personal data and sealed values at any depth pino writes', () => {
    const { log, output } = captureLogger();
    log.info({ sfzh: '110105200601011234', student: { bankCard: '6222020200112233445' }, job: { data: { body: { bodySealed: 'v1.k1.iv.ct' } } } }, 'push');
    expect(output()).not.toMatch(/110105200601011234|6222020200112233445|v1\.k1\.iv\.ct/);
    expect(output()).toContain('[REDACTED]');
  });

  it('redacts a client sign key', () => {
    const { log, output } = captureLogger();
    log.info({ client: { appKey: 'efutong', signKey: 'topsecret', signKeys: ['a1', 'b2'] } }, 'client loaded');
    expect(output()).not.toMatch(/topsecret|"a1"/);
  });

  it('matches secret keys in any letter case and inside arrays', () => {
    const { log, output } = captureLogger();
    log.info({ Authorization: 'Basic c2VjcmV0', 'X-Sign': 'f00dbabe', rows: [{ YHKH: '6222020200112233445' }, 'kept'] }, 'mixed case');
    const line = JSON.parse(output());
    expect(line).toMatchObject({ Authorization: '[REDACTED]', 'X-Sign': '[REDACTED]', rows: [{ YHKH: '[REDACTED]' }, 'kept'] });
  });

  it('redacts properties of an error and of its cause, keeping message and stack', () => {
    const { log, output } = captureLogger();
    const cause = Object.assign(new Error('connect failed'), { password: 'pg-secret' });
    const error = Object.assign(new Error('query failed', { cause }), { signKey: 'sk-in-error', code: 'E_QUERY' });
    log.error(error, 'first argument');
    log.error({ err: error, failure: error }, 'under keys');
    expect(output()).not.toMatch(/pg-secret|sk-in-error/);
    const [first, second] = output().trim().split('\n').map((line) => JSON.parse(line));
    expect(first.err).toMatchObject({ type: 'Error', message: 'query failed: connect failed', code: 'E_QUERY', signKey: '[REDACTED]' });
    expect(first.err.stack).toContain('caused by: Error: connect failed');
    expect(second.failure).toMatchObject({ message: 'query failed: connect failed', signKey: '[REDACTED]' });
  });

  it('redacts the bindings of children and grandchildren', () => {
    const { log, output } = captureLogger();
    log.child({ requestId: 'r-1' }).child({ client: { signKeys: ['k-old', 'k-new'] }, sfzh: '110105200601011234' }).info('bound');
    expect(output()).not.toMatch(/k-old|k-new|110105200601011234/);
    expect(JSON.parse(output())).toMatchObject({ requestId: 'r-1', client: { signKeys: '[REDACTED]' }, sfzh: '[REDACTED]' });
  });

  it('leaves a line without secrets as it was logged', () => {
    const { log, output } = captureLogger();
    const fields = { appKey: 'efutong', jobId: 'efutong.ab12', batchNo: null, counts: [1, 2] };
    log.info(fields, 'push accepted');
    expect(JSON.parse(output())).toMatchObject(fields);
  });

  it('keeps every line through exit', () => {
    // 5,000 lines in one turn, so most wait behind the first write, then process.exit at once.
    const script = [
      "import { createLogger } from '@student-sync/observability';",
      "const log = createLogger({ name: 'burst', level: 'info' });",
      "for (let i = 0; i < 5000; i++) log.info({ i, xm: '张三' }, '推送已接收');",
      'process.exit(0);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.status, child.stderr).toBe(0);
    const lines = child.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { i: number; xm: string; msg: string });
    expect(lines).toHaveLength(5000);
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 5000 }, (_, index) => index));
    expect(lines.every((line) => line.xm === '张三' && line.msg === '推送已接收')).toBe(true);
  });
});
