import { assertMigrationsCurrent } from './assert-current.ts';

/** The part of a pino logger this check writes to. */
interface FatalLogger {
  fatal(fields: object, message: string): void;
}

/**
 * Stops the process with exit code 1 when the database has pending, failed or missing
 * migrations, so a service never runs against a schema older than its code.
 */
export async function exitUnlessMigrationsCurrent(databaseUrl: string, log: FatalLogger): Promise<void> {
  try {
    await assertMigrationsCurrent(databaseUrl);
  } catch (err) {
    log.fatal({ err }, 'database schema is not current, run the migrations first (npm run db:migrate)');
    process.exit(1);
  }
}
