import { assertMigrationsCurrent } from './assert-current.ts';
import { MigrationsNotCurrentError } from './errors.ts';

/** The part of a pino logger this check writes to. */
interface StartLogger {
  fatal(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Stops the process with exit code 1 when the database has pending, failed or missing
 * migrations, so a service never runs against a schema older than its code. When the
 * database cannot be reached the process keeps starting: an outage is retried per push,
 * and the admin app's /readyz reports it.
 */
export async function exitUnlessMigrationsCurrent(databaseUrl: string, log: StartLogger): Promise<void> {
  try {
    await assertMigrationsCurrent(databaseUrl);
  } catch (err) {
    if (!(err instanceof MigrationsNotCurrentError)) {
      log.error({ err }, 'could not check database migrations, starting anyway');
      return;
    }
    log.fatal({ err }, 'database schema is not current, run the migrations first (npm run db:migrate)');
    process.exit(1);
  }
}
