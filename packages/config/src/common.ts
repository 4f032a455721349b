import { Type } from '@sinclair/typebox';

// Each description completes "修正 (fix): 设为 ...", Chinese first with the English in
// parentheses, because parse-env.ts prints it as the fix for a missing or invalid variable.

export const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
  { default: 'info', description: 'fatal, error, warn, info, debug, trace, silent 之一 (one of these levels)' },
);

export const redisFields = {
  REDIS_URL: Type.String({
    default: 'redis://127.0.0.1:6379',
    pattern: '^rediss?://',
    description: 'redis:// 或 rediss:// 开头的 URL, 例如 redis://127.0.0.1:6379 (a redis:// or rediss:// URL)',
  }),
  /** Key prefix of every queue. The braces make it a Redis Cluster hash tag. */
  QUEUE_PREFIX: Type.String({
    default: '{student-sync}',
    minLength: 1,
    description: '非空的键前缀, 例如 {student-sync} (a non-empty key prefix)',
  }),
  /** Action taken when Redis runs without AOF or with an evicting maxmemory-policy. */
  REDIS_POLICY_CHECK: Type.Union([Type.Literal('refuse'), Type.Literal('warn')], {
    default: 'refuse',
    description: 'refuse (停止进程) 或 warn (refuse stops the process, warn continues)',
  }),
};

export const databaseFields = {
  DATABASE_URL: Type.String({
    default: 'postgresql://postgres@127.0.0.1:5432/student_sync',
    pattern: '^postgres(ql)?://',
    description: 'postgresql:// 开头的 URL, 例如 postgresql://postgres@127.0.0.1:5432/student_sync (a postgresql:// URL)',
  }),
  DATABASE_POOL_SIZE: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: '1 到 200 之间的整数 (an integer between 1 and 200)',
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
      '部署已在使用的密钥环 (新密钥打不开之前加密的数据); 新部署用逗号分隔的 keyId:base64 条目, 每个密钥 32 字节, 例如 k1:$(openssl rand -base64 32) (the keyring the deployment already uses; for a new deployment, comma-separated keyId:base64 entries of 32-byte keys)',
  }),
  /** Key for the keyed hash (HMAC-SHA256) of ID and bank card numbers, base64, at least 32 bytes. */
  PII_HASH_KEY: Type.String({
    minLength: 1,
    description: '至少 32 字节的 base64 密钥, 例如 $(openssl rand -base64 32) (a base64 key of at least 32 bytes)',
  }),
};

export const loggingFields = {
  LOG_LEVEL: LogLevel,
};
