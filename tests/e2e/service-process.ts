import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Output lines kept per process for failure messages. */
const KEPT_LINES = 200;

/** A service started as its own Node process: a TypeScript entry through tsx, a bundle (.mjs) with plain node. */
export class ServiceProcess {
  private readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    nodeArgs: readonly string[] = [],
  ) {
    const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.child = spawn(process.execPath, [...nodeArgs, ...loader, entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit');
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.keep(chunk));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Exit code once the process has exited by itself or after stop(), else null. */
  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** Returns the last output lines, for an assertion message. */
  output(): string {
    return `--- ${this.name} (last ${this.lines.length} lines) ---\n${this.lines.join('\n')}`;
  }

  /** Polls `check` every 100 ms until it returns true; fails early when the process exits. */
  async waitUntil(description: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before ${description}\n${this.output()}`);
      if (await check()) return;
      await sleep(100);
    }
    throw new Error(`${this.name} did not reach ${description} within ${timeoutMs} ms\n${this.output()}`);
  }

  /** Waits for an output line containing `text`. */
  waitForOutput(text: string, timeoutMs: number): Promise<void> {
    return this.waitUntil(`output "${text}"`, () => this.lines.some((line) => line.includes(text)), timeoutMs);
  }

  /** Sends SIGTERM and waits for the exit; sends SIGKILL when the process outlives `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private keep(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line !== ''));
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
  }
}

/**
 * Returns a TCP port that was free a moment ago on 127.0.0.1. Another process could take it
 * before the service binds it, and then the service fails to start and the test reports it.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the student-sync CLI through its bin shim and collects its output. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'apps/cli/bin/student-sync.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
