import { stdSerializers } from 'pino';

/** Keys whose values are secrets or personal data and must never reach a log line, in lower case. */
const SECRET_KEYS = new Set([
  'x-sign',
  'sign-key',
  'signkey',
  'signkeys',
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'bodysealed',
  'sfzh',
  'idnumber',
  'bankcard',
  'bankcardno',
  'yhkh',
]);

export const REDACTED = '[REDACTED]';

/** pino stops serialising below five levels (its `depthLimit`), so nothing deeper reaches a line. */
const MAX_DEPTH = 6;

/** Returns true when a value stored under `key` must be replaced by `[REDACTED]`, whatever the key's case. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key) || SECRET_KEYS.has(key.toLowerCase());
}

/**
 * Returns `value` with the value of every secret key replaced by `[REDACTED]`, at any depth
 * pino writes. Objects are copied only along the paths that change, so a log line without
 * secrets costs one or two set look-ups per property and copies nothing.
 */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, 0) as T;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (value instanceof Error) return redactObject(stdSerializers.err(value) as unknown as Record<string, unknown>, depth);
  if (Array.isArray(value)) return redactArray(value, depth);
  return redactObject(value as Record<string, unknown>, depth);
}

function redactArray(items: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const redacted = redactValue(items[index], depth + 1);
    if (redacted !== items[index]) {
      copy ??= items.slice();
      copy[index] = redacted;
    }
  }
  return copy ?? items;
}

function redactObject(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    const original = object[key];
    const redacted = isSecretKey(key) ? REDACTED : redactValue(original, depth + 1);
    if (redacted !== original) {
      copy ??= { ...object };
      copy[key] = redacted;
    }
  }
  return copy ?? object;
}

/**
 * Serialises and redacts an Error under the `err` key. `redactSecrets` already does this when
 * a line is formatted, so this covers an error that reaches pino another way. Anything else
 * passes through unchanged, so an error is not serialised twice.
 */
export function redactedErrorSerializer(error: unknown): unknown {
  return error instanceof Error ? redactValue(error, 0) : error;
}
