import { compareStudents, formatDifferences, resolveTarget, sendAll, simulate, StudentReader } from '@student-sync/cli';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, deleteQueueKeys, randomQueuePrefix, type TestDatabase, testKeys, testRedisUrl } from '../support/index.ts';
import { freePort, runCli, ServiceProcess } from './service-process.ts';
import { isReady, queueCounts, waitForApplied } from './stack-checks.ts';

const INGRESS_COUNT = 2;
const WORKER_COUNT = 3;
/** About 1.9 pushes per student, so the stream is about 1,500 pushes: enough to spread over every worker. */
const STUDENTS = 800;
const START_TIMEOUT_MS = 60_000;
const DRAIN_TIMEOUT_MS = 240_000;

describe('scaled out: two ingress and three worker processes', () => {
  let database: TestDatabase;
  let workDir: string;
  let prisma: PrismaClient;
  const prefix = randomQueuePrefix();
  const keys = testKeys();
  const services: ServiceProcess[] = [];
  const ingressUrls: string[] = [];
  let clientFile: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    workDir = await mkdtemp(path.join(tmpdir(), 'student-sync-scale-'));
    clientFile = path.join(workDir, 'client.json');
    prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
    const env = {
      ...keys,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      // The shared test Redis runs without AOF; production refuses that, the test only warns.
      REDIS_POLICY_CHECK: 'warn',
      INGRESS_HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '0',
      JOB_ATTEMPTS: '20',
      JOB_BACKOFF_BASE_MS: '200',
      JOB_BACKOFF_MAX_MS: '2000',
      WORKER_CONCURRENCY: '2',
      DATABASE_POOL_SIZE: '4',
    };

    const added = await runCli(['clients', 'add', 'scale-platform', '--save', clientFile], env);
    expect(added.code, added.stderr).toBe(0);

    for (let index = 0; index < INGRESS_COUNT; index += 1) {
      const port = await freePort();
      const ingress = new ServiceProcess(`ingress-${index}`, 'apps/ingress/src/main.ts', { ...env, INGRESS_PORT: String(port) });
      services.push(ingress);
      ingressUrls.push(`http://127.0.0.1:${port}`);
      await ingress.waitUntil('GET /readyz 200', () => isReady(`http://127.0.0.1:${port}/readyz`), START_TIMEOUT_MS);
    }
    for (let index = 0; index < WORKER_COUNT; index += 1) {
      const worker = new ServiceProcess(`worker-${index}`, 'apps/worker/src/main.ts', env);
      services.push(worker);
      await worker.waitForOutput('worker started', START_TIMEOUT_MS);
    }
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await prisma?.$disconnect();
    await database?.drop();
    await deleteQueueKeys(prefix);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('reaches expected state, all processes working', { timeout: DRAIN_TIMEOUT_MS + 120_000 }, async () => {
    const simulation = simulate({ seed: 'e2e-scale-out', studentCount: STUDENTS, year: 2025, resendRatio: 0.02, delayRatio: 0.05, maxDisplacement: 200 });
    const bodies = simulation.deliveries.map((body) => Buffer.from(body, 'utf8'));
    const target = await resolveTarget({ clientFile });

    // Alternate deliveries between the ingress processes, as a load balancer would.
    const shares = ingressUrls.map((url, index) => ({
      target: { ...target, url: `${url}/api/v1/student-changes` },
      bodies: bodies.filter((_body, position) => position % INGRESS_COUNT === index),
    }));
    const outcomes = (
      await Promise.all(shares.map((share) => sendAll(share.bodies, { target: share.target, concurrency: 4, maxAttempts: 10, timeoutMs: 15_000, baseBackoffMs: 200, maxBackoffMs: 2_000 })))
    ).flat();
    const rejected = outcomes.filter((o) => o.result.kind !== 'response' || o.result.respCode !== '0000' || !o.result.signatureValid);
    expect(rejected.slice(0, 5), servicesOutput()).toEqual([]);
    expect(outcomes).toHaveLength(bodies.length);

    await waitForApplied(prisma, simulation.pushCount, DRAIN_TIMEOUT_MS, servicesOutput);
    expect(await queueCounts(prefix), servicesOutput()).toEqual({ pending: 0, dead: 0 });

    const stored = await new StudentReader(prisma, Keyring.parse(keys.PII_ENCRYPTION_KEYS), KeyedHasher.parse(keys.PII_HASH_KEY)).readAll();
    const differences = [...stored.integrityProblems, ...compareStudents(simulation.expected, stored.students, { allowExtra: false })];
    expect(differences.length, formatDifferences(differences, 20)).toBe(0);
    expect(stored.students).toHaveLength(simulation.expected.length);

    for (const worker of services.filter((service) => service.name.startsWith('worker-'))) {
      expect(worker.output(), `${worker.name} applied no push`).toContain('push applied');
    }
  });

  function servicesOutput(): string {
    return services.map((service) => service.output()).join('\n');
  }
});
