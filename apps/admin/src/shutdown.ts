import type { Logger } from '@student-sync/observability';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * Runs the steps in order on the first SIGTERM or SIGINT, then exits. When they take longer
 * than `graceMs`, the process exits with code 1 anyway. A replay cut off that way leaves its
 * remaining dead letters in place, so running it again finishes the work.
 */
export function installShutdown(log: Logger, graceMs: number, steps: ShutdownStep[]): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs }, 'admin stopping');
    const timer = setTimeout(() => {
      log.error({ graceMs }, 'shutdown grace period ended, exiting with requests still open');
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
    log.info({ exitCode }, 'admin stopped');
    process.exit(exitCode);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
