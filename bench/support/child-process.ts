import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Output lines kept in memory per process, for waiting on a line and for error messages. */
const KEPT_LINES = 100;

/**
 * A process of the benchmark, started as `node <entry>` for a bundle (.mjs) or as
 * `node --import tsx <entry>` for TypeScript, so its pid is the Node process itself and
 * /proc/<pid>/status reports its own memory. Output goes to a log file.
 */
export class BenchProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private readonly log: WriteStream;
  private readonly lines: string[] = [];

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    logFile: string,
    /** Node options this process needs, placed after BENCH_CHILD_NODE_ARGS. */
    ownNodeArgs: readonly string[] = [],
  ) {
    this.log = createWriteStream(logFile);
    // BENCH_CHILD_NODE_ARGS (space-separated) goes to every child's node, e.g. --cpu-prof to profile a run.
    const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
    const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.child = spawn(process.execPath, [...nodeArgs, ...ownNodeArgs, ...loader, entry], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit');
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.pipe(this.log, { end: false });
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.keep(chunk));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for an output line containing `text`; fails when the process exits first or after `timeoutMs`. */
  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.lines.some((line) => line.includes(text))) return;
      if (!this.running) throw new Error(`${this.name} exited before printing "${text}"\n${this.output()}`);
      await sleep(50);
    }
    throw new Error(`${this.name} did not print "${text}" within ${timeoutMs} ms\n${this.output()}`);
  }

  /** Peak resident set size (VmHWM) in bytes, read from /proc; null where /proc is missing. */
  peakRssBytes(): number | null {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
      return match ? Number(match[1]) * 1024 : null;
    } catch {
      return null;
    }
  }

  /** User plus system CPU time the process has used so far, in seconds; null where /proc is missing. */
  cpuSeconds(): number | null {
    return processCpuSeconds(this.child.pid);
  }

  output(): string {
    return `--- ${this.name} (last ${this.lines.length} lines) ---\n${this.lines.join('\n')}`;
  }

  /** Sends SIGTERM, then SIGKILL when the process is still running after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    this.log.end();
  }

  private keep(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line !== ''));
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
  }
}

/** Runs `stop()` on each process and returns its peak RSS measured just before. */
export async function stopAndMeasure(processes: BenchProcess[]): Promise<Record<string, number | null>> {
  const peaks: Record<string, number | null> = {};
  for (const child of processes) peaks[child.name] = child.peakRssBytes();
  await Promise.all(processes.map((child) => child.stop()));
  return peaks;
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on Linux for x86 and arm. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Reads utime plus stime of a process from /proc/<pid>/stat, in seconds; null where /proc is missing. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may contain spaces, so fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
