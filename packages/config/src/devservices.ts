import { type Static, Type } from '@sinclair/typebox';
import { databaseFields, loggingFields, redisFields } from './common.ts';
import { parseEnv } from './parse-env.ts';

/** Environment of `npm run services` (the local Redis and PostgreSQL helper). */
export const DevservicesEnv = Type.Object({
  REDIS_URL: redisFields.REDIS_URL,
  DATABASE_URL: databaseFields.DATABASE_URL,
  LOG_LEVEL: loggingFields.LOG_LEVEL,
});
export type DevservicesEnv = Static<typeof DevservicesEnv>;

export function parseDevservicesEnv(env: Record<string, string | undefined>): DevservicesEnv {
  return parseEnv('services', DevservicesEnv, env);
}
