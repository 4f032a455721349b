import type { Logger } from './logger.ts';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/** Fixed log messages of one process's shutdown, e.g. 'worker stopping'. */
export interface ShutdownMessages {
  stopping: string;
  stopped: string;
  /** Logged at error level when the grace period ends before every step finished. */
  timedOut: string;
}

export interface ShutdownOptions {
  log: Logger;
  graceMs: number;
  steps: ShutdownStep[];
  messages: ShutdownMessages;
}

/**
 * Runs the steps in order on the first SIGTERM or SIGINT, then exits: 0 when every step
 * succeeded, 1 when one failed. When the steps take longer than `graceMs`, the process exits
 * with code 1 anyway, because an orchestrator would kill it soon after.
 */
export function installShutdown({ log, graceMs, steps, messages }: ShutdownOptions): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs }, messages.stopping);
    const timer = setTimeout(() => {
      log.error({ graceMs }, messages.timedOut);
      process.exit(1);
    }, graceMs);
    timer.unref();

    let exitCode = 0;
    for (const step of steps) {
      try {
        await step.run();
      } catch (err) {
        exitCode = 1;
        log.error({ err, step: step.name }, 'shutdown step failed');
      }
    }
    log.info({ exitCode }, messages.stopped);
    process.exit(exitCode);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
