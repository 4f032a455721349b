import { type Static, Type } from '@sinclair/typebox';
import { databaseFields } from './common.ts';
import { parseEnv } from './parse-env.ts';

/** Environment of the database tool (`npm run db:*`): migrations and client generation. */
export const DbToolEnv = Type.Object({
  /** Database to migrate or inspect; `db:check` uses only its server, for throwaway databases. */
  DATABASE_URL: databaseFields.DATABASE_URL,
});
export type DbToolEnv = Static<typeof DbToolEnv>;

export function parseDbToolEnv(env: Record<string, string | undefined>): DbToolEnv {
  return parseEnv('db-tool', DbToolEnv, env);
}
