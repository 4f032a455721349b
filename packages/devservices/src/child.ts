import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while the child has neither exited nor been killed by a signal. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves true when the child exits within `timeoutMs`, false otherwise. */
export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (!isRunning(child)) return true;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  const timedOut = sleep(timeoutMs, false, { ref: false });
  return Promise.race([exited, timedOut]);
}

/**
 * Sends `signal`, then SIGKILL if the child is still running after `graceMs`.
 * Returns false when SIGKILL was needed.
 */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<boolean> {
  if (!isRunning(child)) return true;
  child.kill(signal);
  if (await waitForExit(child, graceMs)) return true;
  child.kill('SIGKILL');
  await waitForExit(child, graceMs);
  return false;
}

/**
 * Sends `signal` to the child when this process exits without having stopped it (an uncaught
 * error, process.exit). Returns the function that removes this safeguard.
 */
export function killOnExit(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): () => void {
  const onExit = () => {
    if (isRunning(child)) child.kill(signal);
  };
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}
