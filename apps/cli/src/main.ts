import { ConfigError } from '@student-sync/config';
import dotenv from 'dotenv';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliServiceError, CliUsageError, describeDatabaseFault, describeFileFault } from './cli-error.ts';
import { buildProgram } from './program.ts';

// Variables already set in the environment win over the .env file of the working directory,
// which wins over the repository's .env (the one `npm start` writes), so the CLI works from any folder.
const REPO_ENV_FILE = fileURLToPath(new URL('../../../.env', import.meta.url));
for (const file of ['.env', REPO_ENV_FILE]) {
  if (existsSync(file)) dotenv.config({ path: file, quiet: true, override: false });
}

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
  if (error instanceof ConfigError) {
    process.stderr.write(`错误: ${error.message}\n未在环境中设置的变量从当前目录和仓库根目录的 .env 读取 (unset variables come from .env in the working folder and the repository root)\n`);
    return 2;
  }
  if (error instanceof CliUsageError) {
    process.stderr.write(`错误: ${error.message}\n`);
    return 2;
  }
  const fileFault = describeFileFault(error);
  if (fileFault !== undefined) {
    process.stderr.write(`错误: ${fileFault}\n`);
    return 2;
  }
  const fault = error instanceof CliServiceError ? withCause(error) : describeDatabaseFault(error);
  if (fault !== undefined) {
    process.stderr.write(`失败 (failed): ${fault}\n`);
    return 1;
  }
  // An undescribed error is a defect, so the output includes its stack trace for the bug report.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`失败 (failed): ${message}\n`);
  return 1;
}

function withCause(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause ? `${error.message}\n  原因 (cause): ${cause}` : error.message;
}
