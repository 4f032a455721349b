import { type Static, Type } from '@sinclair/typebox';
import { Keyring } from '@student-sync/privacy';
import { databaseFields, loggingFields, piiFields, redisFields } from './common.ts';
import { type ConfigProblem, parseEnv } from './parse-env.ts';
import { WorkerEnv } from './worker.ts';

// Retry and retention are fixed on each job when ingress adds it, so ingress reads the
// same variables as the worker, with the same defaults.
const { JOB_ATTEMPTS, JOB_BACKOFF_BASE_MS, COMPLETED_JOB_RETENTION_MS, COMPLETED_JOB_RETENTION_COUNT } = WorkerEnv.properties;

/** Environment of the ingress process (apps/ingress), which verifies pushes and enqueues them. */
export const IngressEnv = Type.Object({
  ...redisFields,
  ...databaseFields,
  PII_ENCRYPTION_KEYS: piiFields.PII_ENCRYPTION_KEYS,
  ...loggingFields,
  INGRESS_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: '监听的主机名或地址, 例如 127.0.0.1 或 0.0.0.0 (a host name or address to listen on)' }),
  INGRESS_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65_535, description: '0 到 65535 之间的 TCP 端口 (a TCP port between 0 and 65535)' }),
  /** URL path the fee platform is configured to push to. */
  INGRESS_PATH: Type.String({ default: '/api/v1/student-changes', pattern: '^/[^?#\\s]*$', description: '以 / 开头的 URL 路径, 例如 /api/v1/student-changes (a URL path starting with /)' }),
  /** Largest accepted request body; larger ones get 2003 with HTTP 413. */
  BODY_LIMIT_BYTES: Type.Integer({ default: 262_144, minimum: 1_024, maximum: 16_777_216, description: '1024 到 16777216 之间的字节数, 例如 262144 (a number of bytes between 1024 and 16777216)' }),
  /** Allowed difference between the request timestamp and the server clock, either way. */
  SIGNATURE_MAX_SKEW_MS: Type.Integer({ default: 600_000, minimum: 1_000, description: '至少 1000 的毫秒数, 例如 600000 (10 分钟) (milliseconds of at least 1000)' }),
  /** Jobs waiting in the push queue above which new pushes get 3001. */
  QUEUE_BACKLOG_LIMIT: Type.Integer({ default: 200_000, minimum: 0, description: '非负整数, 例如 200000 (a non-negative integer)' }),
  /** How long one backlog count is reused; 0 counts on every request. */
  BACKLOG_CHECK_INTERVAL_MS: Type.Integer({ default: 1_000, minimum: 0, description: '非负的毫秒数, 例如 1000 (a non-negative number of milliseconds)' }),
  /** Maximum wait for Redis on the request path before returning 3002. */
  REDIS_TIMEOUT_MS: Type.Integer({ default: 2_000, minimum: 50, maximum: 60_000, description: '50 到 60000 之间的毫秒数, 例如 2000 (milliseconds between 50 and 60000)' }),
  /** Requests one app-key may send per minute, shared by all ingress processes; 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 120_000, minimum: 0, description: '非负整数, 例如 120000, 0 表示不限流 (a non-negative integer; 0 disables the limit)' }),
  /** How long a client looked up in PostgreSQL is reused; changes announced over Redis drop it sooner. */
  CLIENT_CACHE_TTL_MS: Type.Integer({ default: 60_000, minimum: 0, description: '非负的毫秒数, 例如 60000 (a non-negative number of milliseconds)' }),
  /** Time in-flight requests get to finish after SIGTERM or SIGINT before the process exits anyway. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 0, description: '非负的毫秒数, 例如 10000 (a non-negative number of milliseconds)' }),
  JOB_ATTEMPTS,
  JOB_BACKOFF_BASE_MS,
  COMPLETED_JOB_RETENTION_MS,
  COMPLETED_JOB_RETENTION_COUNT,
});
export type IngressEnv = Static<typeof IngressEnv>;

export function parseIngressEnv(env: Record<string, string | undefined>): IngressEnv {
  return parseEnv('ingress', IngressEnv, env, checkIngressEnv);
}

function checkIngressEnv(config: IngressEnv): ConfigProblem[] {
  try {
    Keyring.parse(config.PII_ENCRYPTION_KEYS);
    return [];
  } catch (error) {
    return [{ variable: 'PII_ENCRYPTION_KEYS', problem: (error as Error).message, fix: `设为 ${piiFields.PII_ENCRYPTION_KEYS.description}` }];
  }
}
