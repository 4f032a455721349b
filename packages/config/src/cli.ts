import { type Static, Type } from '@sinclair/typebox';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { databaseFields, loggingFields, piiFields, redisFields } from './common.ts';
import { type ConfigProblem, parseEnv } from './parse-env.ts';

// The student-sync CLI parses its environment per command, because `push` and `simulate`
// need none of it and each other command needs only its own part.

/** Environment of `student-sync migrate`. */
export const CliMigrateEnv = Type.Object({
  DATABASE_URL: databaseFields.DATABASE_URL,
  LOG_LEVEL: loggingFields.LOG_LEVEL,
});
export type CliMigrateEnv = Static<typeof CliMigrateEnv>;

/** Environment of `student-sync clients ...`: sign keys are sealed with PII_ENCRYPTION_KEYS. */
export const CliClientsEnv = Type.Object({
  DATABASE_URL: databaseFields.DATABASE_URL,
  PII_ENCRYPTION_KEYS: piiFields.PII_ENCRYPTION_KEYS,
  /** Ingress processes drop a cached client when the CLI publishes its app-key here. */
  REDIS_URL: redisFields.REDIS_URL,
  /** Names the deployment's channel of client changes. */
  QUEUE_PREFIX: redisFields.QUEUE_PREFIX,
  LOG_LEVEL: loggingFields.LOG_LEVEL,
});
export type CliClientsEnv = Static<typeof CliClientsEnv>;

/** Environment of `student-sync verify`, which opens sealed values and recomputes keyed hashes. */
export const CliVerifyEnv = Type.Object({
  DATABASE_URL: databaseFields.DATABASE_URL,
  PII_ENCRYPTION_KEYS: piiFields.PII_ENCRYPTION_KEYS,
  PII_HASH_KEY: piiFields.PII_HASH_KEY,
  LOG_LEVEL: loggingFields.LOG_LEVEL,
});
export type CliVerifyEnv = Static<typeof CliVerifyEnv>;

export function parseCliMigrateEnv(env: Record<string, string | undefined>): CliMigrateEnv {
  return parseEnv('student-sync migrate', CliMigrateEnv, env);
}

export function parseCliClientsEnv(env: Record<string, string | undefined>): CliClientsEnv {
  return parseEnv('student-sync clients', CliClientsEnv, env, (config) => keyringProblems(config.PII_ENCRYPTION_KEYS));
}

export function parseCliVerifyEnv(env: Record<string, string | undefined>): CliVerifyEnv {
  return parseEnv('student-sync verify', CliVerifyEnv, env, (config) => [
    ...keyringProblems(config.PII_ENCRYPTION_KEYS),
    ...hashKeyProblems(config.PII_HASH_KEY),
  ]);
}

function keyringProblems(spec: string): ConfigProblem[] {
  try {
    Keyring.parse(spec);
    return [];
  } catch (error) {
    return [{ variable: 'PII_ENCRYPTION_KEYS', problem: (error as Error).message, fix: `设为 ${piiFields.PII_ENCRYPTION_KEYS.description}` }];
  }
}

function hashKeyProblems(base64: string): ConfigProblem[] {
  try {
    KeyedHasher.parse(base64);
    return [];
  } catch (error) {
    return [{ variable: 'PII_HASH_KEY', problem: (error as Error).message, fix: `设为 ${piiFields.PII_HASH_KEY.description}` }];
  }
}
