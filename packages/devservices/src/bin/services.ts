import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDevservicesEnv } from '@student-sync/config';
import { ServiceUnavailableError, type ServiceHandle } from '../handle.ts';
import { loadEnvFile } from '../env-file.ts';
import { createToolLogger } from '../logger.ts';
import { findRunningUp, removePidFile, writePidFile } from '../pid-file.ts';
import { ensurePostgres } from '../postgres.ts';
import { PostgresRejectedError } from '../probe.ts';
import { ensureRedis } from '../redis.ts';
import { buildStatusReport } from '../status.ts';
import { defaultDataRoot } from '../url.ts';

const USAGE = `用法 (usage): npm run services -- <command>
  up      启动缺少的 Redis 和 PostgreSQL 并保持在前台，Ctrl-C 停止 (start what is missing, stay in the foreground until Ctrl-C)
  status  显示哪些服务有应答，以及 Redis 的持久化与淘汰策略 (show what responds, and Redis persistence and eviction settings)
  down    停止由 up 启动的服务 (stop the services that up started)`;

const pidFile = path.join(defaultDataRoot, 'services-up.pid');
const DOWN_WAIT_MS = 30_000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

loadEnvFile();
const env = parseDevservicesEnv(process.env);
const log = createToolLogger('services', env.LOG_LEVEL);

const commands: Record<string, () => Promise<number | undefined>> = { up, status, down };
const command = commands[process.argv[2] ?? ''];
if (!command) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = (await command()) ?? 0;
  } catch (err) {
    if (!(err instanceof ServiceUnavailableError || err instanceof PostgresRejectedError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
  }
}

async function up(): Promise<number | undefined> {
  const handles: ServiceHandle[] = [];
  try {
    handles.push(await ensureRedis(env.REDIS_URL, { log }));
    handles.push(await ensurePostgres(env.DATABASE_URL, { log }));
  } catch (err) {
    await stopAll(handles);
    throw err;
  }
  if (!handles.some((handle) => handle.started)) {
    console.log('Redis 和 PostgreSQL 都已在运行，无需启动 (Redis and PostgreSQL were both running; nothing started)');
    return 0;
  }

  writePidFile(pidFile);
  console.log('服务已就绪，按 Ctrl-C 停止本命令启动的服务 (services ready; press Ctrl-C to stop the ones started here)');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    // SIGHUP too: a closed terminal would otherwise end this process without stopping anything.
    for (const name of STOP_SIGNALS) process.on(name, resolve);
  });
  // A second signal exits at once; the `exit` handlers still send each started server a stop signal.
  for (const name of STOP_SIGNALS) process.on(name, () => process.exit(130));
  log.info({ signal }, '正在停止服务 (stopping services)');
  await stopAll(handles);
  removePidFile(pidFile);
  return 0;
}

async function stopAll(handles: ServiceHandle[]): Promise<void> {
  for (const handle of [...handles].reverse()) await handle.stop();
}

async function status(): Promise<number> {
  const report = await buildStatusReport(env.REDIS_URL, env.DATABASE_URL);
  for (const line of report.lines) console.log(line);
  return report.allRespond ? 0 : 1;
}

async function down(): Promise<number> {
  const pid = findRunningUp(pidFile);
  if (pid === undefined) {
    console.log('没有正在运行的 `services up`，不停止任何服务 (no `services up` is running; nothing stopped)');
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + DOWN_WAIT_MS;
  while (Date.now() < deadline && findRunningUp(pidFile) === pid) await sleep(200);
  if (findRunningUp(pidFile) === pid) {
    console.error(`进程 ${pid} 未在 ${DOWN_WAIT_MS} ms 内退出 (process ${pid} did not exit within ${DOWN_WAIT_MS} ms)`);
    return 1;
  }
  console.log(`已停止 services up (pid ${pid}) 启动的服务 (stopped the services started by services up)`);
  return 0;
}
