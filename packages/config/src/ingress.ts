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
  INGRESS_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'a host name or address to listen on, e.g. 127.0.0.1 or 0.0.0.0' }),
  INGRESS_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65_535, description: 'a TCP port between 0 and 65535' }),
  /** URL path the fee platform is configured to push to. */
  INGRESS_PATH: Type.String({ default: '/api/v1/student-changes', pattern: '^/[^?#\\s]*$', description: 'a URL path starting with /, e.g. /api/v1/student-changes' }),
  /** Largest accepted request body; larger ones get 2003 with HTTP 413. */
  BODY_LIMIT_BYTES: Type.Integer({ default: 262_144, minimum: 1_024, maximum: 16_777_216, description: 'a number of bytes between 1024 and 16777216, e.g. 262144' }),
  /** Allowed difference between the request timestamp and the server clock, either way. */
  SIGNATURE_MAX_SKEW_MS: Type.Integer({ default: 600_000, minimum: 1_000, description: 'milliseconds of at least 1000, e.g. 600000 for 10 minutes' }),
  /** Jobs waiting in the push queue above which new pushes get 3001. */
  QUEUE_BACKLOG_LIMIT: Type.Integer({ default: 200_000, minimum: 0, description: 'a non-negative integer, e.g. 200000' }),
  /** How long one backlog count is reused; 0 counts on every request. */
  BACKLOG_CHECK_INTERVAL_MS: Type.Integer({ default: 1_000, minimum: 0, description: 'a non-negative number of milliseconds, e.g. 1000' }),
  /** Maximum wait for Redis on the request path before returning 3002. */
  REDIS_TIMEOUT_MS: Type.Integer({ default: 2_000, minimum: 50, maximum: 60_000, description: 'milliseconds between 50 and 60000, e.g. 2000' }),
  /** Requests one app-key may send per minute, shared by all ingress processes; 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 120_000, minimum: 0, description: 'a non-negative integer, e.g. 120000; 0 disables the limit' }),
  /** How long a client looked up in PostgreSQL is reused; changes announced over Redis drop it sooner. */
  CLIENT_CACHE_TTL_MS: Type.Integer({ default: 60_000, minimum: 0, description: 'a non-negative number of milliseconds, e.g. 60000' }),
  /** Time in-flight requests get to finish after SIGTERM or SIGINT before the process exits anyway. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 0, description: 'a non-negative number of milliseconds, e.g. 10000' }),
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
    return [{ variable: 'PII_ENCRYPTION_KEYS', problem: (error as Error).message, fix: `set it to ${piiFields.PII_ENCRYPTION_KEYS.description}` }];
  }
}
