import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort, runCli } from '../../../tests/e2e/service-process.ts';
import { deleteQueueKeys, randomQueuePrefix, testKeys, testRedisUrl } from '../../../tests/support/index.ts';
import '../../../tests/support/provided.ts';
import { describeDatabaseFault } from './cli-error.ts';

const prefix = randomQueuePrefix();

afterAll(async () => {
  // Opening the queues writes their meta keys, even when the database then fails.
  await deleteQueueKeys(prefix);
});

/** Builds the environment of a CLI run against the test servers. Each test replaces one address. */
function cliEnv(overrides: Record<string, string>): Record<string, string> {
  return { ...testKeys(), DATABASE_URL: inject('testPostgresUrl'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, ...overrides };
}

describe('CLI configuration errors', () => {
  it.each([
    [['batches'], 'student-sync batches'],
    [['batch', 'P1'], 'student-sync batch'],
  ])('%j names its own command', async (args, command) => {
    const result = await runCli(args, cliEnv({ DATABASE_URL: 'notaurl' }));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`配置无效 (invalid configuration for ${command})`);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('.env');
  });
});

describe('CLI output when a service fails', () => {
  it('missing database names the fix', async () => {
    const url = new URL(inject('testPostgresUrl'));
    url.pathname = '/student_sync_no_such_database';
    const result = await runCli(['batches'], cliEnv({ DATABASE_URL: url.toString() }));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('数据库 student_sync_no_such_database 不存在 (database does not exist)');
    expect(result.stderr).toContain('npm run db:migrate');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('unreachable PostgreSQL names the address', async () => {
    const port = await freePort();
    const result = await runCli(['clients', 'list'], cliEnv({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/student_sync` }));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`无法连接 PostgreSQL 127.0.0.1:${port}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('migrate against unreachable PostgreSQL names the address', async () => {
    const port = await freePort();
    const result = await runCli(['migrate'], cliEnv({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/student_sync` }));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`无法连接 PostgreSQL 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('unreachable Redis names REDIS_URL', async () => {
    const port = await freePort();
    const result = await runCli(['replay', '--dry-run'], cliEnv({ REDIS_URL: `redis://127.0.0.1:${port}` }));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`无法连接 Redis redis://127.0.0.1:${port}`);
    expect(result.stderr).toContain('原因 (cause)');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('describeDatabaseFault', () => {
  it('ignores errors that are not from Prisma', () => {
    expect(describeDatabaseFault(new Error('boom'))).toBeUndefined();
    expect(describeDatabaseFault('boom')).toBeUndefined();
  });

  it('falls back to the last line of the message', () => {
    const error = Object.assign(new Error('\nInvalid `prisma.student.findMany()` invocation:\n\nsome database problem\n'), { name: 'PrismaClientUnknownRequestError' });
    expect(describeDatabaseFault(error)).toBe('数据库操作失败 (database request failed): some database problem');
  });
});
