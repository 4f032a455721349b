import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Creates the logger of the developer tools (services CLI, quickstart, test setup): readable
 * lines on stderr, because people read these, not log collectors.
 */
export function createToolLogger(name: string, level = 'info'): Logger {
  const stream = pretty({ sync: true, destination: 2, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' });
  return pino({ name, level }, stream);
}
