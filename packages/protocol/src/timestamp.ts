/** The wire time format `yyyyMMddHHmmss`, always read and written in GMT+8 (China Standard Time). */
const TIMESTAMP_PATTERN = /^\d{14}$/;
const GMT8_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Default allowed clock skew between the sender's timestamp and ours: 10 minutes either way. */
export const DEFAULT_MAX_SKEW_MS = 10 * 60 * 1000;

/**
 * Parses a 14-digit GMT+8 timestamp into a Date. Returns undefined when the text is not
 * 14 digits or does not form a real date-time (month 13, February 30, hour 24).
 */
export function parseTimestamp(text: string): Date | undefined {
  if (text.length !== 14 || !TIMESTAMP_PATTERN.test(text)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 4, 2);
  const day = digitsAt(text, 6, 2);
  const hour = digitsAt(text, 8, 2);
  const minute = digitsAt(text, 10, 2);
  const second = digitsAt(text, 12, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as written.
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(year, month - 1, day);
  wallClock.setUTCHours(hour, minute, second, 0);
  return new Date(wallClock.getTime() - GMT8_OFFSET_MS);
}

function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index++) value = value * 10 + (text.charCodeAt(index) - 48);
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Formats a Date as a 14-digit GMT+8 timestamp. */
export function formatTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() + GMT8_OFFSET_MS);
  return (
    String(shifted.getUTCFullYear()).padStart(4, '0') +
    twoDigits(shifted.getUTCMonth() + 1) +
    twoDigits(shifted.getUTCDate()) +
    twoDigits(shifted.getUTCHours()) +
    twoDigits(shifted.getUTCMinutes()) +
    twoDigits(shifted.getUTCSeconds())
  );
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Returns true when `sent` is at most `maxSkewMs` before or after `now`. */
export function isWithinSkew(sent: Date, now: Date, maxSkewMs: number = DEFAULT_MAX_SKEW_MS): boolean {
  return Math.abs(now.getTime() - sent.getTime()) <= maxSkewMs;
}

/** ISO 8601 with a zone ('Z' or an offset such as +08:00). */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The forms parseOperatorTime accepts, with examples, for error messages. */
export const OPERATOR_TIME_FORMS = 'yyyyMMddHHmmss (北京时间) 或带时区的 ISO 8601, 如 20240901080000 或 2024-09-01T08:00:00+08:00';

/**
 * Parses a time an operator types into a filter: 14 digits yyyyMMddHHmmss in GMT+8 (the form
 * of bg_sj), or ISO 8601 with a zone. Returns undefined for anything else, a time without a
 * zone included, because the operator's zone and the server's may differ.
 */
export function parseOperatorTime(text: string): Date | undefined {
  const timestamp = parseTimestamp(text);
  if (timestamp) return timestamp;
  return ISO_WITH_ZONE.test(text) && !Number.isNaN(Date.parse(text)) ? new Date(text) : undefined;
}
