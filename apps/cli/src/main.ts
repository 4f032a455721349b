import { ConfigError } from '@student-sync/config';
import dotenv from 'dotenv';
import { existsSync } from 'node:fs';
import { CliUsageError } from './cli-error.ts';
import { buildProgram } from './program.ts';

// Variables already set in the environment win over the .env file of the working directory.
if (existsSync('.env')) dotenv.config({ path: '.env', quiet: true, override: false });

// A reader that stops early, such as `simulate | head`, closes the pipe. That ends the output normally, so the exit status is 0.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** Prints a failure for the operator and returns the exit status. */
function reportError(error: unknown): number {
  if (error instanceof CliUsageError || error instanceof ConfigError) {
    process.stderr.write(`错误: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`失败 (failed): ${message}\n`);
  return 1;
}
