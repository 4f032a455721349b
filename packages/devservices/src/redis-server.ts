import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning, killOnExit, stopChild } from './child.ts';
import { ServiceUnavailableError } from './handle.ts';
import { probeRedis } from './probe.ts';

const POLL_INTERVAL_MS = 200;
const STOP_GRACE_MS = 10_000;

export interface RedisServerOptions {
  port: number;
  dataDir: string;
  /** Set as `requirepass` when the URL carries a password. */
  password?: string;
  /** URL used to wait until the new server responds. */
  url: string;
  startTimeoutMs: number;
}

export interface RunningRedisServer {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Returns the absolute path of an executable found on PATH, or undefined. */
export function findOnPath(binary: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder; keep looking.
    }
  }
  return undefined;
}

export function missingRedisBinaryMessage(url: string): string {
  return [
    `Redis 在 ${url} 无应答，且 PATH 中找不到 redis-server，无法在本机启动 (Redis at ${url} does not respond, and redis-server is not on PATH, so it cannot be started here).`,
    '安装 Redis 后重试 (install Redis, then retry): `apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS),',
    '或用 Docker 启动 (or start it with Docker): `docker compose up -d redis`; 也可以把 REDIS_URL 指向已运行的 Redis (or point REDIS_URL at a running Redis).',
  ].join('\n');
}

/**
 * Starts `redis-server` in the foreground as a child of this process, with AOF persistence and
 * the noeviction policy that BullMQ needs, listening on loopback only. The child gets its own
 * process group, so a Ctrl-C in the terminal reaches it only through `stop()`, after the
 * processes that use it have stopped.
 */
export async function startRedisServer(binary: string, options: RedisServerOptions): Promise<RunningRedisServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = path.join(options.dataDir, 'redis.log');
  const child = spawn(binary, redisArgs(options, logFile), { detached: true, stdio: 'ignore' });
  const removeExitGuard = killOnExit(child);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  try {
    await waitUntilResponding(child, spawnError, options, logFile);
  } catch (err) {
    await stopChild(child, 'SIGTERM', STOP_GRACE_MS);
    removeExitGuard();
    throw err;
  }

  const stop = async () => {
    // SIGTERM makes Redis flush the AOF and exit cleanly.
    await stopChild(child, 'SIGTERM', STOP_GRACE_MS);
    removeExitGuard();
  };
  return { pid: child.pid!, logFile, stop };
}

async function waitUntilResponding(
  child: ChildProcess,
  spawnError: Promise<Error>,
  options: RedisServerOptions,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + options.startTimeoutMs;
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, sleep(POLL_INTERVAL_MS, undefined)]);
    if (failed) throw new ServiceUnavailableError(`redis-server 无法启动 (redis-server failed to start): ${failed.message}`);
    if (!isRunning(child)) throw new ServiceUnavailableError(exitedMessage(options.port, logFile));
    if ((await probeRedis(options.url, POLL_INTERVAL_MS * 5)).responds) return;
  }
  throw new ServiceUnavailableError(
    `redis-server 在 ${options.startTimeoutMs} ms 内未应答 (redis-server did not respond within ${options.startTimeoutMs} ms); 日志 (log): ${logFile}`,
  );
}

function redisArgs(options: RedisServerOptions, logFile: string): string[] {
  const args = [
    '--port', String(options.port),
    // "-::1": also listen on IPv6 loopback when the machine has it, without failing when not.
    '--bind', '127.0.0.1', '-::1',
    '--appendonly', 'yes',
    // AOF is the persistence; no RDB snapshots, whose failure would also block SIGTERM shutdown.
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    '--dir', options.dataDir,
    '--logfile', logFile,
    '--daemonize', 'no',
  ];
  if (options.password) args.push('--requirepass', options.password);
  return args;
}

function exitedMessage(port: number, logFile: string): string {
  return [
    `redis-server 启动后立即退出 (redis-server exited right after start) on port ${port}.`,
    `日志末尾 (end of ${logFile}):`,
    tailOf(logFile, 10),
  ].join('\n');
}

function tailOf(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
