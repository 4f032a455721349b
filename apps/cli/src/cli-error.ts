/**
 * An operator mistake (a missing option, an unreadable file) that the CLI reports as one
 * line without a stack trace, exiting with status 2.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
