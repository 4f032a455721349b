import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pushBody, statusChange } from '@student-sync/domain/testing';
import { Keyring } from '@student-sync/privacy';
import { createPushQueue, createRedisConnection, DEAD_LETTER_QUEUE, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPushJob, waitFor } from '../../apps/worker/src/testing/push-jobs.ts';
import { freePort, ServiceProcess } from '../e2e/service-process.ts';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../support/index.ts';

/** Debian's chromium package; CI installs it with apt-get. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const START_TIMEOUT_MS = 60_000;
const OPERATOR = { username: 'e2e-operator', password: 'e2e-operator-password' };
const STUDENT_NO = 'E2E-STUDENT-1';
const DEAD_BATCH = 'P-E2E-DEAD';
const SCREENSHOT = path.join(tmpdir(), 'student-sync-admin-student.png');

describe('admin console in a browser', () => {
  const prefix = randomQueuePrefix();
  const keys = testKeys();
  const services: ServiceProcess[] = [];
  let database: TestDatabase;
  let redis: Redis;
  let pushQueue: PushQueue;
  let deadLetters: Queue;
  let profileDir: string;
  let browser: BrowserContext;
  let baseUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Fix: apt-get update && apt-get install -y chromium`);
    database = await createTestDatabase();
    redis = createRedisConnection(testRedisUrl(), { role: 'producer' });
    await waitForRedisReady(redis, 5_000);
    pushQueue = createPushQueue({ connection: redis, prefix, onError: () => {} });
    deadLetters = new Queue(DEAD_LETTER_QUEUE, { connection: redis, prefix });

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...keys,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      // The shared test Redis runs without AOF; production refuses that, the test only warns.
      REDIS_POLICY_CHECK: 'warn',
      LOG_LEVEL: 'info',
      ADMIN_PORT: String(port),
      ADMIN_USERNAME: OPERATOR.username,
      ADMIN_PASSWORD: OPERATOR.password,
      JOB_BACKOFF_BASE_MS: '100',
      JOB_BACKOFF_MAX_MS: '500',
    };
    const worker = new ServiceProcess('worker', 'apps/worker/src/main.ts', env);
    const admin = new ServiceProcess('admin', 'apps/admin/src/main.ts', env);
    services.push(worker, admin);
    await worker.waitForOutput('worker started', START_TIMEOUT_MS);
    await admin.waitForOutput('admin started', START_TIMEOUT_MS);

    profileDir = await mkdtemp(path.join(tmpdir(), 'student-sync-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      httpCredentials: { ...OPERATOR, origin: baseUrl },
      locale: 'zh-CN',
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(services.map((service) => service.stop()));
    await pushQueue?.close();
    await deadLetters?.close();
    redis?.disconnect();
    await deleteQueueKeys(prefix);
    await database?.drop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it('operator replays a dead batch and sees the student fixed', async () => {
    const keyring = Keyring.parse(keys.PII_ENCRYPTION_KEYS);
    // An UPDATE that arrives before its student exists fails its only attempt and is dead-lettered.
    const update = pushBody({ xh: STUDENT_NO, xm: '王五', bg_sj: '20240902080000', bg_pch: DEAD_BATCH, bg_mx_list: [statusChange('02', '休学')] });
    const deadJobId = await addPushJob(pushQueue, update, keyring, { attempts: 1, backoffBaseMs: 100 });
    await waitFor('the dead letter', async () => ((await deadLetters.getJob(deadJobId)) ? true : undefined));
    const add = pushBody({ xh: STUDENT_NO, xm: '王五', bg_sj: '20240901080000', cz_lx: 'ADD', bg_pch: 'P-E2E-ADD', bg_mx_list: [statusChange('01', '在读')] });
    const addJobId = await addPushJob(pushQueue, add, keyring, { attempts: 3, backoffBaseMs: 100 });
    await waitFor('the ADD to apply', async () => ((await (await pushQueue.getJob(addJobId))?.getState()) === 'completed' ? true : undefined));

    const page = await browser.newPage();
    const otherOrigins: string[] = [];
    const blockedByPolicy: string[] = [];
    const policyViolations: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${baseUrl}/`) && !url.startsWith('data:')) otherOrigins.push(url);
    });
    // Chromium reports a request that the page's policy blocked as failed with "csp", and sends nothing.
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText === 'csp') blockedByPolicy.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) policyViolations.push(message.text());
    });
    await page.goto(`${baseUrl}/admin/batches`);
    expect(await page.locator('header .role').textContent()).toContain('运维');

    await page.goto(`${baseUrl}/admin/queues/queue/${DEAD_LETTER_QUEUE}`);
    await page.getByText(deadJobId.slice(0, 20)).first().waitFor({ timeout: 15_000 });

    await page.goto(`${baseUrl}/admin/batches/${DEAD_BATCH}`);
    await page.getByRole('button', { name: '重放本批次死信' }).click();
    await page.getByRole('button', { name: '确认重放 1 条' }).click();
    await page.getByText('已重放 1 条，失败 0 条').waitFor({ timeout: 15_000 });

    await waitFor('the student page to show the replayed status', async () => {
      await page.goto(`${baseUrl}/admin/students/${STUDENT_NO}`);
      return (await page.locator('dd.status').textContent())?.includes('02 休学') ? true : undefined;
    });
    expect(await page.locator('table').first().textContent()).toContain('休学');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The pages work offline: every request to another origin is Bull Board's Google Fonts
    // stylesheet, which the policy blocked before anything was sent.
    expect(otherOrigins).toEqual(blockedByPolicy);
    for (const url of blockedByPolicy) expect(new URL(url).host).toBe('fonts.googleapis.com');
    for (const violation of policyViolations) expect(violation).toContain('fonts.googleapis.com');
  });
});
