/** The wire time format `yyyyMMddHHmmss`, always read and written in GMT+8 (China Standard Time). */
const TIMESTAMP_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const GMT8_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Default allowed clock skew between the sender's timestamp and ours: 10 minutes either way. */
export const DEFAULT_MAX_SKEW_MS = 10 * 60 * 1000;

/**
 * Parses a 14-digit GMT+8 timestamp into a Date. Returns undefined when the text is not
 * 14 digits or does not form a real date-time (month 13, February 30, hour 24).
 */
export function parseTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return undefined;

  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as written.
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(year, month - 1, day);
  wallClock.setUTCHours(hour, minute, second, 0);
  const utcMs = wallClock.getTime() - GMT8_OFFSET_MS;
  // The setters roll overflowing fields into the next unit, so a round trip exposes invalid dates.
  if (formatTimestamp(new Date(utcMs)) !== text) return undefined;
  return new Date(utcMs);
}

/** Formats a Date as a 14-digit GMT+8 timestamp. */
export function formatTimestamp(date: Date): string {
  const shifted = new Date(date.getTime() + GMT8_OFFSET_MS);
  const parts = [
    shifted.getUTCFullYear(),
    shifted.getUTCMonth() + 1,
    shifted.getUTCDate(),
    shifted.getUTCHours(),
    shifted.getUTCMinutes(),
    shifted.getUTCSeconds(),
  ];
  const [year, ...rest] = parts;
  return String(year).padStart(4, '0') + rest.map((part) => String(part).padStart(2, '0')).join('');
}

/** Returns true when `sent` is at most `maxSkewMs` before or after `now`. */
export function isWithinSkew(sent: Date, now: Date, maxSkewMs: number = DEFAULT_MAX_SKEW_MS): boolean {
  return Math.abs(now.getTime() - sent.getTime()) <= maxSkewMs;
}
