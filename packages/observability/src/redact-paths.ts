/** Keys whose values are secrets or personal data and must never reach a log line. */
const SECRET_KEYS = [
  '["x-sign"]',
  '["sign-key"]',
  'signKey',
  'signKeys',
  'authorization',
  'cookie',
  '["set-cookie"]',
  'password',
  'bodySealed',
  'sfzh',
  'idNumber',
  'bankCard',
  'bankCardNo',
  'yhkh',
];

function joinPath(prefix: string, key: string): string {
  if (!prefix) return key;
  return key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`;
}

/**
 * Redaction paths for pino (fast-redact syntax). A `*` matches exactly one level, so each
 * key is listed at the top level and up to two levels deep (`req.headers["x-sign"]`,
 * `job.data.bodySealed`).
 */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => ['', '*', '*.*'].map((prefix) => joinPath(prefix, key)));
