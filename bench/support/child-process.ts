import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Output lines kept in memory per process, for waiting on a line and for error messages. */
const KEPT_LINES = 100;
/** Maximum bytes read from the end of a log per look. Older output is skipped, because only the last lines are kept. */
const TAIL_BYTES = 64 * 1024;

/**
 * A process of the benchmark, started as `node <entry>` for a bundle (.mjs) or as
 * `node --import tsx <entry>` for TypeScript, so its pid is the Node process itself and
 * /proc/<pid>/status reports its own memory. The process writes its standard output and
 * error straight to its log file, so its logging costs the harness nothing while the load
 * runs on the shared cores. The file is read only when a caller waits for a line or reports
 * a failure.
 */
export class BenchProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private readonly logFile: string;
  private readOffset = 0;
  private decoder = new StringDecoder('utf8');
  /** The start of a line whose end is not in the file yet. */
  private partialLine = '';
  private readonly lines: string[] = [];

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
    logFile: string,
    /** Node options this process needs, placed after BENCH_CHILD_NODE_ARGS. */
    ownNodeArgs: readonly string[] = [],
  ) {
    this.logFile = logFile;
    const logFd = openSync(logFile, 'w');
    // BENCH_CHILD_NODE_ARGS (space-separated) goes to every child's node, e.g. --cpu-prof to profile a run.
    const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
    const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.child = spawn(process.execPath, [...nodeArgs, ...ownNodeArgs, ...loader, entry], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
      stdio: ['ignore', logFd, logFd],
    });
    // The child has its own copy of the descriptor.
    closeSync(logFd);
    this.exited = once(this.child, 'exit');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for an output line containing `text`; fails when the process exits first or after `timeoutMs`. */
  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.readNewOutput();
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
    this.readNewOutput();
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
  }

  /** Reads what the process wrote since the last look and keeps its last lines. */
  private readNewOutput(): void {
    const fd = openSync(this.logFile, 'r');
    try {
      const size = fstatSync(fd).size;
      let skipFirstLine = false;
      if (size - this.readOffset > TAIL_BYTES) {
        this.readOffset = size - TAIL_BYTES;
        this.decoder = new StringDecoder('utf8');
        this.partialLine = '';
        skipFirstLine = true;
      }
      const buffer = Buffer.alloc(size - this.readOffset);
      const read = readSync(fd, buffer, 0, buffer.length, this.readOffset);
      this.readOffset += read;
      const lines = (this.partialLine + this.decoder.write(buffer.subarray(0, read))).split('\n');
      this.partialLine = lines.pop() ?? '';
      if (skipFirstLine) lines.shift();
      this.lines.push(...lines.filter((line) => line !== ''));
      if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
    } finally {
      closeSync(fd);
    }
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
