import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type PushTarget, resolveTarget } from '@student-sync/cli';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { expect } from 'vitest';
import { freePort, runCli } from '../../e2e/service-process.ts';
import { createTestDatabase, type TestDatabase, testKeys, type TestKeys } from '../../support/index.ts';
import { ChildService } from './child-service.ts';
import { OwnRedis } from './redis-server.ts';
import { TcpProxy } from './tcp-proxy.ts';

const START_TIMEOUT_MS = 60_000;
export const APP_KEY = 'fault-platform';

export interface StackOptions {
  /** Routes the services' PostgreSQL connections through a proxy the test can cut. */
  proxyDatabase?: boolean;
  workers?: number;
  /** Variables added to (or replacing) the services' environment. */
  env?: Record<string, string>;
}

/**
 * The real processes of one fault test: an ingress and workers as child processes, on the
 * test's own redis-server (AOF, noeviction), its own database and optionally a TCP proxy
 * in front of PostgreSQL. Every process started is kept, so its output stays readable.
 */
export class FaultStack {
  readonly started: ChildService[] = [];
  ingress!: ChildService;
  readonly workers: ChildService[] = [];
  target!: PushTarget;
  private serial = 0;

  private constructor(
    readonly redis: OwnRedis,
    readonly database: TestDatabase,
    readonly proxy: TcpProxy | undefined,
    readonly prisma: PrismaClient,
    readonly keys: TestKeys,
    readonly env: Record<string, string>,
    private readonly workDir: string,
  ) {}

  static async start(options: StackOptions = {}): Promise<FaultStack> {
    const redis = await OwnRedis.start();
    const database = await createTestDatabase();
    const databaseUrl = new URL(database.url);
    const proxy = options.proxyDatabase ? await TcpProxy.start(databaseUrl.hostname, Number(databaseUrl.port || 5432)) : undefined;
    const serviceUrl = new URL(database.url);
    if (proxy) serviceUrl.host = `127.0.0.1:${proxy.port}`;

    const keys = testKeys();
    const env = serviceEnv({ keys, redisUrl: redis.url, databaseUrl: serviceUrl.toString(), port: await freePort(), extra: options.env });
    const workDir = await mkdtemp(path.join(tmpdir(), 'student-sync-fault-'));
    const prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
    const stack = new FaultStack(redis, database, proxy, prisma, keys, env, workDir);

    await stack.addClient();
    await stack.startIngress();
    for (let index = 0; index < (options.workers ?? 1); index += 1) await stack.startWorker();
    return stack;
  }

  get ingressUrl(): string {
    return `http://127.0.0.1:${this.env.INGRESS_PORT}`;
  }

  async startIngress(): Promise<ChildService> {
    this.ingress = this.spawn('ingress', 'apps/ingress/src/main.ts');
    await this.ingress.waitUntil('GET /readyz 200', () => isReady(`${this.ingressUrl}/readyz`), START_TIMEOUT_MS);
    return this.ingress;
  }

  /** Stops the ingress with `signal` and starts a new one on the same port. */
  async restartIngress(signal: NodeJS.Signals): Promise<void> {
    await this.ingress.kill(signal);
    await this.startIngress();
  }

  async startWorker(): Promise<ChildService> {
    const worker = this.spawn('worker', 'apps/worker/src/main.ts');
    this.workers.push(worker);
    await worker.waitForOutput('worker started', START_TIMEOUT_MS);
    return worker;
  }

  /** Kills the worker at `index` with `signal` and starts a replacement in its place. */
  async restartWorker(index: number, signal: NodeJS.Signals): Promise<void> {
    await this.workers[index]!.kill(signal);
    const replacement = this.spawn('worker', 'apps/worker/src/main.ts');
    this.workers[index] = replacement;
    await replacement.waitForOutput('worker started', START_TIMEOUT_MS);
  }

  /** Starts another process of the project on the stack's environment plus `env`. */
  startService(role: string, entry: string, env: Record<string, string>): ChildService {
    return this.spawn(role, entry, env);
  }

  /** Returns the last output lines of every process started, for an assertion message. */
  output(): string {
    return this.started.map((service) => service.tail()).join('\n');
  }

  /** Returns every output line of every process started, in start order. */
  allLines(): string[] {
    return this.started.flatMap((service) => service.lines);
  }

  async close(): Promise<void> {
    await Promise.all(this.started.map((service) => service.stop(5_000)));
    await this.prisma.$disconnect();
    await this.proxy?.cut();
    await this.database.drop();
    await this.redis.remove();
    await rm(this.workDir, { recursive: true, force: true });
  }

  private spawn(role: string, entry: string, env: Record<string, string> = {}): ChildService {
    this.serial += 1;
    const service = new ChildService(`${role}#${this.serial}`, entry, { ...this.env, ...env });
    this.started.push(service);
    return service;
  }

  private async addClient(): Promise<void> {
    const clientFile = path.join(this.workDir, 'client.json');
    // The CLI writes the client directly, not through the proxy, so a cut proxy never blocks setup.
    const cliEnv = { ...this.env, DATABASE_URL: this.database.url };
    const added = await runCli(['clients', 'add', APP_KEY, '--name', 'E付通 故障测试', '--save', clientFile, '--url', `${this.ingressUrl}/api/v1/student-changes`], cliEnv);
    expect(added.code, added.stderr).toBe(0);
    this.target = await resolveTarget({ clientFile });
  }
}

interface EnvInput {
  keys: TestKeys;
  redisUrl: string;
  databaseUrl: string;
  port: number;
  extra?: Record<string, string>;
}

function serviceEnv(input: EnvInput): Record<string, string> {
  return {
    ...input.keys,
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    QUEUE_PREFIX: '{student-sync}',
    REDIS_POLICY_CHECK: 'refuse',
    LOG_LEVEL: 'info',
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: String(input.port),
    RATE_LIMIT_PER_MINUTE: '0',
    // Long enough that the client looked up at the first push stays cached through a database outage.
    CLIENT_CACHE_TTL_MS: '600000',
    // An UPDATE that overtakes its ADD, or meets a database outage, retries for one to two minutes.
    JOB_ATTEMPTS: '60',
    JOB_BACKOFF_BASE_MS: '200',
    JOB_BACKOFF_MAX_MS: '2000',
    WORKER_CONCURRENCY: '4',
    DATABASE_POOL_SIZE: '6',
    SHUTDOWN_GRACE_MS: '5000',
    ...input.extra,
  };
}

export async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
