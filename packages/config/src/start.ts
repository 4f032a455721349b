import { type Static, Type } from '@sinclair/typebox';
import { Keyring } from '@student-sync/privacy';
import { databaseFields, loggingFields, piiFields, redisFields } from './common.ts';
import { type ConfigProblem, parseEnv } from './parse-env.ts';
import { AdminEnv } from './admin.ts';
import { IngressEnv } from './ingress.ts';

// The quickstart prints the ingress and admin URLs, so it reads those processes' own variables.
const { INGRESS_HOST, INGRESS_PORT, INGRESS_PATH } = IngressEnv.properties;
const { ADMIN_HOST, ADMIN_PORT } = AdminEnv.properties;

/** Environment of `npm start` (scripts/start.ts), the quickstart that runs every process locally. */
export const StartEnv = Type.Object({
  REDIS_URL: redisFields.REDIS_URL,
  DATABASE_URL: databaseFields.DATABASE_URL,
  /** Seals the demo client's sign key, as `student-sync clients add` does. */
  PII_ENCRYPTION_KEYS: piiFields.PII_ENCRYPTION_KEYS,
  LOG_LEVEL: loggingFields.LOG_LEVEL,
  INGRESS_HOST,
  INGRESS_PORT,
  INGRESS_PATH,
  ADMIN_HOST,
  ADMIN_PORT,
  /** Time the started processes get to exit after Ctrl-C or SIGTERM before they are killed; above the worker's default SHUTDOWN_GRACE_MS. */
  START_SHUTDOWN_GRACE_MS: Type.Integer({ default: 40_000, minimum: 0, description: '非负的毫秒数, 例如 40000 (a non-negative number of milliseconds)' }),
});
export type StartEnv = Static<typeof StartEnv>;

export function parseStartEnv(env: Record<string, string | undefined>): StartEnv {
  return parseEnv('start', StartEnv, env, checkStartEnv);
}

function checkStartEnv(config: StartEnv): ConfigProblem[] {
  try {
    Keyring.parse(config.PII_ENCRYPTION_KEYS);
    return [];
  } catch (error) {
    return [{ variable: 'PII_ENCRYPTION_KEYS', problem: (error as Error).message, fix: `设为 ${piiFields.PII_ENCRYPTION_KEYS.description}` }];
  }
}
