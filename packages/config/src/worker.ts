import { type Static, Type } from '@sinclair/typebox';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { databaseFields, loggingFields, piiFields, redisFields } from './common.ts';
import { type ConfigProblem, parseEnv } from './parse-env.ts';

/** Environment of the worker process (apps/worker), which applies queued pushes to PostgreSQL. */
export const WorkerEnv = Type.Object({
  ...redisFields,
  ...databaseFields,
  ...piiFields,
  ...loggingFields,
  /** Number of pushes one worker process applies at the same time; each uses one database connection while it runs. */
  WORKER_CONCURRENCY: Type.Integer({ default: 4, minimum: 1, maximum: 200, description: 'an integer between 1 and 200' }),
  /** Attempts per push, the first included; the push is dead-lettered after the last one fails. */
  JOB_ATTEMPTS: Type.Integer({ default: 10, minimum: 1, maximum: 100, description: 'an integer between 1 and 100' }),
  /** Delay before the first retry; each later retry doubles it, with random jitter. */
  JOB_BACKOFF_BASE_MS: Type.Integer({ default: 1_000, minimum: 1, description: 'a positive number of milliseconds, e.g. 1000' }),
  /** Upper bound of any retry delay. */
  JOB_BACKOFF_MAX_MS: Type.Integer({ default: 300_000, minimum: 1, description: 'a positive number of milliseconds, e.g. 300000' }),
  /** How long completed jobs stay in Redis; resends of the same body within it are deduplicated by job id. */
  COMPLETED_JOB_RETENTION_MS: Type.Integer({
    default: 86_400_000,
    minimum: 1_000,
    description: 'milliseconds of at least 1000, e.g. 86400000 for one day',
  }),
  /** Upper bound on completed jobs kept, whatever their age, so Redis memory stays flat. */
  COMPLETED_JOB_RETENTION_COUNT: Type.Integer({ default: 100_000, minimum: 0, description: 'a non-negative integer, e.g. 100000' }),
  /** Maximum run time of one apply transaction, lock waits included. */
  APPLY_TRANSACTION_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100, description: 'milliseconds of at least 100, e.g. 30000' }),
  /** Time active jobs get to finish after SIGTERM or SIGINT before the process exits anyway. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 30_000, minimum: 0, description: 'a non-negative number of milliseconds, e.g. 30000' }),
});
export type WorkerEnv = Static<typeof WorkerEnv>;

export function parseWorkerEnv(env: Record<string, string | undefined>): WorkerEnv {
  return parseEnv('worker', WorkerEnv, env, checkWorkerEnv);
}

function checkWorkerEnv(config: WorkerEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.JOB_BACKOFF_MAX_MS < config.JOB_BACKOFF_BASE_MS) {
    problems.push({
      variable: 'JOB_BACKOFF_MAX_MS',
      problem: `value ${config.JOB_BACKOFF_MAX_MS} is below JOB_BACKOFF_BASE_MS (${config.JOB_BACKOFF_BASE_MS})`,
      fix: 'set it to at least JOB_BACKOFF_BASE_MS',
    });
  }
  if (config.DATABASE_POOL_SIZE < config.WORKER_CONCURRENCY) {
    problems.push({
      variable: 'DATABASE_POOL_SIZE',
      problem: `value ${config.DATABASE_POOL_SIZE} is below WORKER_CONCURRENCY (${config.WORKER_CONCURRENCY}), and each active job holds one connection`,
      fix: 'set it to at least WORKER_CONCURRENCY',
    });
  }
  problems.push(...keyProblems('PII_ENCRYPTION_KEYS', () => Keyring.parse(config.PII_ENCRYPTION_KEYS), piiFields.PII_ENCRYPTION_KEYS.description));
  problems.push(...keyProblems('PII_HASH_KEY', () => KeyedHasher.parse(config.PII_HASH_KEY), piiFields.PII_HASH_KEY.description));
  return problems;
}

function keyProblems(variable: string, parse: () => unknown, description: string | undefined): ConfigProblem[] {
  try {
    parse();
    return [];
  } catch (error) {
    return [{ variable, problem: (error as Error).message, fix: `set it to ${description}` }];
  }
}
