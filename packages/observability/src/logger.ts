import { pino, type Logger, type LevelWithSilent } from 'pino';
import { REDACT_PATHS } from './redact-paths.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Process or component name, written as `name` on every line. */
  name: string;
  level: LevelWithSilent;
  /** Destination stream; standard output when omitted. Tests pass a capture stream. */
  destination?: pino.DestinationStream;
}

/** Creates the pino logger of a process, with secrets and personal data redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
