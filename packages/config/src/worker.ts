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
  /** Number of apply transactions one worker process runs at the same time; each uses one database connection while it runs. */
  WORKER_CONCURRENCY: Type.Integer({ default: 4, minimum: 1, maximum: 200, description: '1 到 200 之间的整数 (an integer between 1 and 200)' }),
  /**
   * `batch` applies pushes that wait for a transaction together, up to WORKER_BATCH_SIZE per
   * transaction, with the same result as `single`, which runs one transaction per push.
   */
  WORKER_APPLY_MODE: Type.Union([Type.Literal('batch'), Type.Literal('single')], { default: 'batch', description: 'batch 或 single (batch or single)' }),
  /** Upper bound on pushes per transaction in batch mode; the worker holds up to WORKER_CONCURRENCY times this many jobs. */
  WORKER_BATCH_SIZE: Type.Integer({ default: 500, minimum: 1, maximum: 5_000, description: '1 到 5000 之间的整数, 例如 500 (an integer between 1 and 5000)' }),
  /** Address of the worker's Prometheus listener (GET /metrics). */
  WORKER_METRICS_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: '监听的主机名或地址, 例如 127.0.0.1 (a host name or address to listen on, e.g. 127.0.0.1)' }),
  /** Port of the worker's Prometheus listener; 0 serves none, which suits several workers on one host. */
  WORKER_METRICS_PORT: Type.Integer({ default: 0, minimum: 0, maximum: 65_535, description: '端口号, 例如 9464, 0 表示不提供指标端口 (a port number, or 0 for no metrics listener)' }),
  /** Attempts per push, the first included; the push is dead-lettered after the last one fails. */
  JOB_ATTEMPTS: Type.Integer({ default: 10, minimum: 1, maximum: 100, description: '1 到 100 之间的整数 (an integer between 1 and 100)' }),
  /** Delay before the first retry; each later retry doubles it, with random jitter. */
  JOB_BACKOFF_BASE_MS: Type.Integer({ default: 1_000, minimum: 1, description: '正的毫秒数, 例如 1000 (a positive number of milliseconds)' }),
  /** Upper bound of any retry delay. */
  JOB_BACKOFF_MAX_MS: Type.Integer({ default: 300_000, minimum: 1, description: '正的毫秒数, 例如 300000 (a positive number of milliseconds)' }),
  /** How long completed jobs stay in Redis; resends of the same body within it are deduplicated by job id. */
  COMPLETED_JOB_RETENTION_MS: Type.Integer({
    default: 86_400_000,
    minimum: 1_000,
    description: '至少 1000 的毫秒数, 例如 86400000 (一天) (milliseconds of at least 1000)',
  }),
  /** Upper bound on completed jobs kept, whatever their age, so Redis memory stays flat. */
  COMPLETED_JOB_RETENTION_COUNT: Type.Integer({ default: 100_000, minimum: 0, description: '非负整数, 例如 100000 (a non-negative integer)' }),
  /** Maximum run time of one apply transaction, lock waits included. */
  APPLY_TRANSACTION_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 100, description: '至少 100 的毫秒数, 例如 30000 (milliseconds of at least 100)' }),
  /**
   * Time active jobs get to finish after SIGTERM or SIGINT. Jobs still running shortly before
   * it ends are moved back to the wait list for another worker, then the process exits.
   */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 30_000, minimum: 0, description: '非负的毫秒数, 例如 30000 (a non-negative number of milliseconds)' }),
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
      problem: `值 ${config.JOB_BACKOFF_MAX_MS} 小于 JOB_BACKOFF_BASE_MS (${config.JOB_BACKOFF_BASE_MS}) (is below JOB_BACKOFF_BASE_MS)`,
      fix: '设为不小于 JOB_BACKOFF_BASE_MS 的值 (set it to at least JOB_BACKOFF_BASE_MS)',
    });
  }
  if (config.DATABASE_POOL_SIZE < config.WORKER_CONCURRENCY) {
    problems.push({
      variable: 'DATABASE_POOL_SIZE',
      problem: `值 ${config.DATABASE_POOL_SIZE} 小于 WORKER_CONCURRENCY (${config.WORKER_CONCURRENCY}), 而每个进行中的任务占用一个连接 (is below WORKER_CONCURRENCY, and each active job holds one connection)`,
      fix: '设为不小于 WORKER_CONCURRENCY 的值 (set it to at least WORKER_CONCURRENCY)',
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
    return [{ variable, problem: (error as Error).message, fix: `设为 ${description}` }];
  }
}

// The CLI commands below act on the worker's queues and archive. Replayed and re-driven pushes
// are added with the retry and retention the worker's variables set, as ingress adds them.

/** Environment of `student-sync replay`, `batch` and `batches`. */
export const CliReplayEnv = Type.Object({
  ...redisFields,
  DATABASE_URL: databaseFields.DATABASE_URL,
  LOG_LEVEL: loggingFields.LOG_LEVEL,
  JOB_ATTEMPTS: WorkerEnv.properties.JOB_ATTEMPTS,
  JOB_BACKOFF_BASE_MS: WorkerEnv.properties.JOB_BACKOFF_BASE_MS,
  COMPLETED_JOB_RETENTION_MS: WorkerEnv.properties.COMPLETED_JOB_RETENTION_MS,
  COMPLETED_JOB_RETENTION_COUNT: WorkerEnv.properties.COMPLETED_JOB_RETENTION_COUNT,
});
export type CliReplayEnv = Static<typeof CliReplayEnv>;

/** Environment of `student-sync redrive`, which also opens the archived bodies. */
export const CliRedriveEnv = Type.Object({
  ...CliReplayEnv.properties,
  PII_ENCRYPTION_KEYS: piiFields.PII_ENCRYPTION_KEYS,
});
export type CliRedriveEnv = Static<typeof CliRedriveEnv>;

/** Parses the environment of a CLI command that opens the queues, named in errors as `command`. */
export function parseCliReplayEnv(env: Record<string, string | undefined>, command = 'student-sync replay'): CliReplayEnv {
  return parseEnv(command, CliReplayEnv, env);
}

export function parseCliRedriveEnv(env: Record<string, string | undefined>): CliRedriveEnv {
  return parseEnv('student-sync redrive', CliRedriveEnv, env, (config) =>
    keyProblems('PII_ENCRYPTION_KEYS', () => Keyring.parse(config.PII_ENCRYPTION_KEYS), piiFields.PII_ENCRYPTION_KEYS.description),
  );
}
