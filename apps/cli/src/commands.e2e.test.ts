import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pushBody } from '@student-sync/domain/testing';
import { Keyring } from '@student-sync/privacy';
import { createPushQueue, createRedisConnection } from '@student-sync/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPushJob } from '../../worker/src/testing/push-jobs.ts';
import { runCli } from '../../../tests/e2e/service-process.ts';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../../../tests/support/index.ts';

const prefix = randomQueuePrefix();
let database: TestDatabase;
let workDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  workDir = await mkdtemp(path.join(tmpdir(), 'cli-clients-'));
  env = { ...testKeys(), DATABASE_URL: database.url };
});

afterAll(async () => {
  // Opening the queues writes their meta keys.
  await deleteQueueKeys(prefix);
  await database?.drop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('clients rotate-key --save', () => {
  it('writes the scheme to a new file', async () => {
    const added = await runCli(['clients', 'add', 'hmac-client', '--scheme', 'HMAC_SHA256'], env);
    expect(added.code, added.stderr).toBe(0);

    const file = path.join(workDir, 'rotated.json');
    const rotated = await runCli(['clients', 'rotate-key', 'hmac-client', '--grace-minutes', '0', '--save', file], env);
    expect(rotated.code, rotated.stderr).toBe(0);

    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(saved).toMatchObject({ appKey: 'hmac-client', scheme: 'HMAC_SHA256', url: 'http://127.0.0.1:8080/api/v1/student-changes' });
    expect(rotated.stdout).toContain(saved.signKey);
  });
});

describe('batch', () => {
  it('an unknown batch number exits 2 naming it', async () => {
    const result = await runCli(['batch', 'NO-SUCH-BATCH'], { ...env, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('没有批次号为 NO-SUCH-BATCH 的推送');
  });
});

describe('redrive', () => {
  it('a batch still waiting in the queue needs no redrive', async () => {
    const redis = createRedisConnection(testRedisUrl(), { role: 'producer' });
    const queue = createPushQueue({ connection: redis, prefix, onError: () => {} });
    try {
      const body = pushBody({ xh: 'W-1', bg_sj: '20261205090000', bg_pch: 'WAITING-1' });
      await addPushJob(queue, body, Keyring.parse(env.PII_ENCRYPTION_KEYS!), { attempts: 1, backoffBaseMs: 10 });
    } finally {
      await queue.close();
      redis.disconnect();
    }

    const result = await runCli(['redrive', '--batch', 'WAITING-1'], { ...env, REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('批次 WAITING-1 的 1 条推送仍在主队列中等待首次处理');
  });
});
