import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Pid file of a running `services up`, so `services down` can stop exactly the servers that
 * command started, and nothing else.
 */
export function writePidFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${process.pid}\n`);
}

export function removePidFile(file: string): void {
  // Another `up` may have replaced the file; only remove our own.
  if (readPid(file) === process.pid) rmSync(file, { force: true });
}

/** Returns the pid in the file when that process still runs `services.ts`, else undefined. */
export function findRunningUp(file: string): number | undefined {
  const pid = readPid(file);
  if (pid === undefined) return undefined;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('services.ts') ? pid : undefined;
  } catch {
    // No /proc entry: the process is gone (or this is not Linux, where `down` then finds nothing).
    return undefined;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
