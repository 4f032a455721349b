import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../../e2e/service-process.ts';

/** Output lines shown in a failure message. */
const TAIL_LINES = 60;

/**
 * A service started as its own Node process through the tsx loader. Unlike the e2e
 * ServiceProcess it keeps every output line (the privacy tests scan them all) and can be
 * sent any signal, so a test can kill it as a crash would.
 */
export class ChildService {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private partial = '';

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', entry], {
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

  /** Process id of the Node process, which the worker's BullMQ name (`<host>:<pid>`) contains. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** Returns the last output lines, for an assertion message. */
  tail(): string {
    return `--- ${this.name} (last ${TAIL_LINES} lines) ---\n${this.lines.slice(-TAIL_LINES).join('\n')}`;
  }

  /** Polls `check` every 100 ms until it returns true; fails early when the process exits. */
  async waitUntil(description: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before ${description}\n${this.tail()}`);
      if (await check()) return;
      await sleep(100);
    }
    throw new Error(`${this.name} did not reach ${description} within ${timeoutMs} ms\n${this.tail()}`);
  }

  waitForOutput(text: string, timeoutMs: number): Promise<void> {
    return this.waitUntil(`output "${text}"`, () => this.lines.some((line) => line.includes(text)), timeoutMs);
  }

  /** Resolves with the exit code once the process has exited, or null when it does not within `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<number | null> {
    const exited = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    return exited ? this.child.exitCode : null;
  }

  /** Sends `signal` and waits for the exit. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }

  /** Sends SIGTERM and waits for the exit; sends SIGKILL when the process outlives `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    if ((await this.waitForExit(graceMs)) === null && this.running) await this.kill('SIGKILL');
  }

  private keep(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((line) => line !== ''));
  }
}
