import { createLogger, type Logger } from '@student-sync/observability';

/** Creates a test's logger: silent, or writing its lines at info level into `lines` when given. */
export function testLogger(name: string, lines?: string[]): Logger {
  if (!lines) return createLogger({ name, level: 'silent' });
  return createLogger({ name, level: 'info', destination: { write: (line: string) => void lines.push(line) } });
}
