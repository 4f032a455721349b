import { Type } from '@sinclair/typebox';

// Each description is phrased to complete "修正 (fix): set it to ...", because parse-env.ts
// prints it as the fix when the variable is missing or invalid.

export const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
  { default: 'info', description: 'one of fatal, error, warn, info, debug, trace, silent' },
);

export const redisFields = {
  REDIS_URL: Type.String({
    default: 'redis://127.0.0.1:6379',
    pattern: '^rediss?://',
    description: 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
  }),
  /** Key prefix of every queue. The braces make it a Redis Cluster hash tag. */
  QUEUE_PREFIX: Type.String({
    default: '{student-sync}',
    minLength: 1,
    description: 'a non-empty key prefix such as {student-sync}',
  }),
  /** Action taken when Redis runs without AOF or with an evicting maxmemory-policy. */
  REDIS_POLICY_CHECK: Type.Union([Type.Literal('refuse'), Type.Literal('warn')], {
    default: 'refuse',
    description: 'refuse (stop the process) or warn',
  }),
};

export const databaseFields = {
  DATABASE_URL: Type.String({
    default: 'postgresql://postgres@127.0.0.1:5432/student_sync',
    pattern: '^postgres(ql)?://',
    description: 'a postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/student_sync',
  }),
  DATABASE_POOL_SIZE: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: 'an integer between 1 and 200',
  }),
};

export const piiFields = {
  /**
   * Keyring for sealing personal data and sign keys: comma-separated `keyId:base64key`
   * entries of 32-byte keys. The first entry seals; all entries open.
   */
  PII_ENCRYPTION_KEYS: Type.String({
    minLength: 1,
    description:
      'the keyring the deployment already uses (a fresh key cannot open data sealed before); for a new deployment, comma-separated keyId:base64 entries of 32-byte keys, e.g. k1:$(openssl rand -base64 32)',
  }),
  /** Key for the keyed hash (HMAC-SHA256) of ID and bank card numbers, base64, at least 32 bytes. */
  PII_HASH_KEY: Type.String({
    minLength: 1,
    description: 'a base64 key of at least 32 bytes, e.g. $(openssl rand -base64 32)',
  }),
};

export const loggingFields = {
  LOG_LEVEL: LogLevel,
};
