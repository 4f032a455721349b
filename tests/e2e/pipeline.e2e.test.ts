import { compareStudents, formatDifferences, resolveTarget, sendAll, simulate, StudentReader, writeExpectFile } from '@student-sync/cli';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, bundlePath, SERVICE_NODE_ARGS } from '../../scripts/build.ts';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../support/index.ts';
import { freePort, runCli, ServiceProcess } from './service-process.ts';
import { isReady, queueCounts, waitForApplied } from './stack-checks.ts';

/** Students in the simulated cohort; about 1.9 pushes each, so the stream exceeds 3,000 pushes. */
const STUDENTS = 1_800;
const MIN_PUSHES = 3_000;
const START_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 240_000;

describe('pipeline from HTTP push to PostgreSQL', () => {
  let database: TestDatabase;
  let workDir: string;
  let prisma: PrismaClient;
  const prefix = randomQueuePrefix();
  const keys = testKeys();
  const services: ServiceProcess[] = [];
  let env: Record<string, string>;
  let clientFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    workDir = await mkdtemp(path.join(tmpdir(), 'student-sync-e2e-'));
    clientFile = path.join(workDir, 'client.json');
    prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
    const port = await freePort();
    env = {
      ...keys,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      // The shared test Redis runs without AOF; production refuses that, the test only warns.
      REDIS_POLICY_CHECK: 'warn',
      LOG_LEVEL: 'info',
      INGRESS_HOST: '127.0.0.1',
      INGRESS_PORT: String(port),
      RATE_LIMIT_PER_MINUTE: '0',
      // Short retries: an UPDATE that overtakes its ADD waits for it a few hundred milliseconds.
      JOB_ATTEMPTS: '20',
      JOB_BACKOFF_BASE_MS: '200',
      JOB_BACKOFF_MAX_MS: '2000',
      WORKER_CONCURRENCY: '4',
      DATABASE_POOL_SIZE: '8',
    };

    const added = await runCli(
      ['clients', 'add', 'e2e-platform', '--name', 'E付通 端到端测试', '--save', clientFile, '--url', `http://127.0.0.1:${port}/api/v1/student-changes`],
      env,
    );
    expect(added.code, added.stderr).toBe(0);

    // The bundles, as `npm start` and the images run them; the other end-to-end tests run the sources.
    await buildServices();
    const ingress = new ServiceProcess('ingress', bundlePath('ingress'), env, SERVICE_NODE_ARGS.ingress);
    const worker = new ServiceProcess('worker', bundlePath('worker'), env, SERVICE_NODE_ARGS.worker);
    services.push(ingress, worker);
    await ingress.waitUntil('GET /readyz 200', () => isReady(`http://127.0.0.1:${port}/readyz`), START_TIMEOUT_MS);
    await worker.waitForOutput('worker started', START_TIMEOUT_MS);
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await prisma?.$disconnect();
    await database?.drop();
    await deleteQueueKeys(prefix);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('ends with every student as the simulator expects', { timeout: DRAIN_TIMEOUT_MS + 120_000 }, async () => {
    const simulation = simulate({ seed: 'e2e-pipeline', studentCount: STUDENTS, year: 2025, resendRatio: 0.02, delayRatio: 0.05, maxDisplacement: 200 });
    expect(simulation.deliveries.length).toBeGreaterThanOrEqual(MIN_PUSHES);

    const target = await resolveTarget({ clientFile });
    const bodies = simulation.deliveries.map((body) => Buffer.from(body, 'utf8'));
    const outcomes = await sendAll(bodies, { target, concurrency: 8, maxAttempts: 10, timeoutMs: 15_000, baseBackoffMs: 200, maxBackoffMs: 2_000 });
    const rejected = outcomes.filter((o) => o.result.kind !== 'response' || o.result.respCode !== '0000' || !o.result.signatureValid);
    expect(rejected.slice(0, 5), servicesOutput()).toEqual([]);

    await waitForApplied(prisma, simulation.pushCount, DRAIN_TIMEOUT_MS, servicesOutput);
    expect(await queueCounts(prefix), servicesOutput()).toEqual({ pending: 0, dead: 0 });

    const stored = await new StudentReader(prisma, Keyring.parse(keys.PII_ENCRYPTION_KEYS), KeyedHasher.parse(keys.PII_HASH_KEY)).readAll();
    const differences = [...stored.integrityProblems, ...compareStudents(simulation.expected, stored.students, { allowExtra: false })];
    expect(differences.length, formatDifferences(differences, 20)).toBe(0);
    expect(stored.students).toHaveLength(simulation.expected.length);

    const expectFile = path.join(workDir, 'expected.json');
    await writeExpectFile(expectFile, { seed: 'e2e-pipeline', pushCount: simulation.pushCount, deliveryCount: bodies.length, students: simulation.expected });
    const verified = await runCli(['verify', '--expect', expectFile], env);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('没有差异');
  });

  function servicesOutput(): string {
    return services.map((service) => service.output()).join('\n');
  }
});

