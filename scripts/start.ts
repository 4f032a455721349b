// Quickstart (`npm start`): local Redis and PostgreSQL, a .env with fresh keys, migrations,
// a demo client, then the ingress, worker and admin processes until Ctrl-C or SIGTERM.
import { once } from 'node:events';
import path from 'node:path';
import { ConfigError, parseStartEnv, type StartEnv } from '@student-sync/config';
import { migrateDeploy } from '@student-sync/db/migrate';
import { checkRedisPolicy, createRedisConnection, waitForRedisReady } from '@student-sync/queue';
import {
  createToolLogger,
  defaultDataRoot,
  ensurePostgres,
  ensureRedis,
  loadEnvFile,
  PostgresRejectedError,
  repoRoot,
  ServiceUnavailableError,
  writeEnvFileFromExample,
  type Logger,
  type ServiceHandle,
} from '@student-sync/devservices';
import {
  DemoClientKeyError,
  ensureDemoClient,
  findUnusableAddresses,
  nextStepsText,
  partitionApps,
  startApp,
  stopApps,
  type AppSpec,
  type RunningApp,
} from '@student-sync/devservices/quickstart';
import { bundlePath, buildServices, SERVICE_NODE_ARGS } from './build.ts';

const APPS: AppSpec[] = [
  { name: 'ingress', entry: bundlePath('ingress'), nodeArgs: SERVICE_NODE_ARGS.ingress },
  { name: 'worker', entry: bundlePath('worker'), nodeArgs: SERVICE_NODE_ARGS.worker },
  { name: 'admin', entry: 'apps/admin/src/main.ts' },
];
const CLIENT_FILE = path.join(defaultDataRoot, 'demo-client.json');

const services: ServiceHandle[] = [];
const apps: RunningApp[] = [];
/**
 * A Ctrl-C under `npm start` arrives twice: from the terminal, and again when npm forwards it
 * to this process. A signal within this many milliseconds of the first counts as the same one.
 */
const REPEATED_SIGNAL_WINDOW_MS = 1_000;

let signalled: NodeJS.Signals | undefined;
let signalledAt = 0;
const signalReceived = new Promise<NodeJS.Signals>((resolve) => {
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      if (Date.now() - signalledAt < REPEATED_SIGNAL_WINDOW_MS) return;
      forceExit();
    }
    signalled = signal;
    signalledAt = Date.now();
    resolve(signal);
  };
  // SIGHUP too: a closed terminal would otherwise end this process without stopping anything.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
});

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof ConfigError || err instanceof ServiceUnavailableError || err instanceof PostgresRejectedError || err instanceof DemoClientKeyError)) throw err;
  console.error(err.message);
  if (err instanceof ConfigError) console.error('未在环境中设置的变量从仓库根目录的 .env 读取 (unset variables come from .env in the repository root)');
  process.exitCode = 1;
}

/**
 * Exits at once on a second signal. process.exit still emits `exit`, whose handlers send a stop
 * signal to every process started here, so nothing is left running without a parent.
 */
function forceExit(): never {
  console.error('再次收到信号，立即退出 (second signal received, exiting now)');
  process.exit(130);
}

async function main(): Promise<number> {
  const envWritten = writeEnvFileFromExample(path.join(repoRoot, '.env.example'));
  loadEnvFile();
  const env = parseStartEnv(process.env);
  const log = createToolLogger('start', env.LOG_LEVEL);
  if (envWritten) log.info({ file: '.env' }, '已从 .env.example 生成 .env 并写入新密钥 (wrote .env from .env.example with fresh keys)');

  try {
    return await run(env, log);
  } finally {
    await stopApps(apps, env.START_SHUTDOWN_GRACE_MS, log);
    for (const handle of services.reverse()) await handle.stop();
    log.info({}, '已全部停止 (everything stopped)');
  }
}

async function run(env: StartEnv, log: Logger): Promise<number> {
  // Checked first, so a port in use stops the start before any process runs or the banner prints.
  const unusable = await findUnusableAddresses([
    { host: env.INGRESS_HOST, port: env.INGRESS_PORT, hostVariable: 'INGRESS_HOST', portVariable: 'INGRESS_PORT' },
    { host: env.ADMIN_HOST, port: env.ADMIN_PORT, hostVariable: 'ADMIN_HOST', portVariable: 'ADMIN_PORT' },
  ]);
  for (const problem of unusable) log.error({}, problem);
  if (unusable.length > 0) return 1;

  services.push(await ensureRedis(env.REDIS_URL, { log }));
  await relaxRedisPolicyForLocalUse(env.REDIS_URL, log);
  services.push(await ensurePostgres(env.DATABASE_URL, { log }));
  if (signalled) return 0;

  const migrations = await migrateDeploy(env.DATABASE_URL);
  log.info({ applied: migrations.applied.length }, '数据库迁移已完成 (database migrations applied)');
  if (migrations.modified.length > 0) {
    log.warn({ modified: migrations.modified }, '已应用的迁移文件被修改过 (applied migration files were modified since)');
  }
  const ingressUrl = ingressUrlOf(env);
  await prepareDemoClient(env, ingressUrl, log);
  if (signalled) return 0;

  // The ingress and worker run from bundles, rebuilt at every start so they match the sources.
  await buildServices();
  log.info({ bundles: [bundlePath('ingress'), bundlePath('worker')] }, '已构建 ingress 和 worker (built the ingress and worker bundles)');
  const { present, missing } = partitionApps(APPS, repoRoot);
  for (const app of missing) log.warn({ app: app.name, entry: app.entry }, '找不到入口文件，未启动 (entry file not found, not started)');
  if (present.length === 0) {
    log.error({}, '没有可启动的进程 (no process to start)');
    return 1;
  }
  apps.push(...present.map((spec) => startApp(spec, repoRoot, process.env)));
  const adminUrl = `${httpOrigin(env.ADMIN_HOST, env.ADMIN_PORT)}/admin`;
  console.log(nextStepsText({ ingressUrl, adminUrl, clientFile: path.relative(repoRoot, CLIENT_FILE), started: present.map((app) => app.name), missing }));

  return waitForSignalOrExit(log);
}

/**
 * Lets the quickstart run on a development Redis without AOF (a common default), where the
 * processes would otherwise refuse to start. An explicit REDIS_POLICY_CHECK is respected.
 */
async function relaxRedisPolicyForLocalUse(redisUrl: string, log: Logger): Promise<void> {
  const redis = createRedisConnection(redisUrl, { role: 'producer', commandTimeoutMs: 5_000 });
  try {
    await waitForRedisReady(redis, 5_000);
    const problems = await checkRedisPolicy(redis);
    if (problems.length === 0 || process.env.REDIS_POLICY_CHECK) return;
    process.env.REDIS_POLICY_CHECK = 'warn';
    log.warn(
      { redisUrl, problems },
      'Redis 配置不适合生产 (未开启 AOF 或会淘汰键), 快速开始以 REDIS_POLICY_CHECK=warn 继续; 生产环境必须修正 (Redis is not production-ready, the quickstart continues with REDIS_POLICY_CHECK=warn)',
    );
  } finally {
    redis.disconnect();
  }
}

async function prepareDemoClient(env: StartEnv, ingressUrl: string, log: Logger): Promise<void> {
  const demo = await ensureDemoClient({ databaseUrl: env.DATABASE_URL, encryptionKeys: env.PII_ENCRYPTION_KEYS, ingressUrl, filePath: CLIENT_FILE });
  if (demo.created) {
    // Shown once on purpose: the store keeps the key sealed and the file is for local use only.
    console.log(`已创建演示客户端 (created the demo client): app-key ${demo.file.appKey}, 签名密钥 (sign key) ${demo.file.signKey}`);
  }
  if (!demo.enabled) log.warn({ appKey: demo.file.appKey }, '演示客户端已被停用，推送会被拒绝 (the demo client is disabled, its pushes are rejected)');
  log.info({ file: path.relative(repoRoot, CLIENT_FILE) }, '演示客户端信息已写入文件 (demo client details written)');
}

/** Resolves 0 on SIGINT/SIGTERM, 1 when a started process exits by itself first. */
async function waitForSignalOrExit(log: Logger): Promise<number> {
  const firstExit = Promise.race(apps.map(async (app) => {
    const [code, signal] = (await once(app.child, 'exit')) as [number | null, NodeJS.Signals | null];
    return { app: app.name, code, signal };
  }));
  const outcome = await Promise.race([signalReceived, firstExit]);
  if (typeof outcome === 'string') {
    log.info({ signal: outcome }, '正在停止，再按一次 Ctrl-C 立即退出 (stopping; press Ctrl-C again to exit now)');
    return 0;
  }
  if (signalled) return 0;
  log.error(outcome, '进程意外退出，正在停止其余进程 (a process exited on its own, stopping the others)');
  return 1;
}

/** Returns the URL the fee platform would push to. */
function ingressUrlOf(env: StartEnv): string {
  return `${httpOrigin(env.INGRESS_HOST, env.INGRESS_PORT)}${env.INGRESS_PATH}`;
}

/** Returns `http://host:port` for a listen address, with a wildcard address replaced by loopback. */
function httpOrigin(listenHost: string, port: number): string {
  const host = ['0.0.0.0', '::', '[::]'].includes(listenHost) ? '127.0.0.1' : listenHost;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${urlHost}:${port}`;
}
