const CHANGE_TIME_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * Converts bg_sj (yyyyMMddHHmmss, GMT+8) to an instant, or returns null when the text
 * is not 14 digits forming a real calendar date and time.
 */
export function parseChangeTime(text: string): Date | null {
  const match = CHANGE_TIME_PATTERN.exec(text);
  if (!match) return null;

  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utcMs = Date.UTC(year, month - 1, day, hour - 8, minute, second);
  const check = new Date(utcMs + 8 * 3_600_000);
  const roundTrips =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  return roundTrips ? new Date(utcMs) : null;
}

/**
 * Builds the version of every change a push carries: `<bg_sj>:<sha256 hex of the raw body>`.
 * Both parts have a fixed width, so comparing versions as text orders them by change time
 * first and breaks ties between different pushes deterministically.
 */
export function changeVersion(changeTime: string, bodySha256: string): string {
  return `${changeTime}:${bodySha256}`;
}

/** Returns true when a change with `version` may overwrite a field last written at `current`. */
export function isAtLeast(version: string, current: string | null): boolean {
  return current === null || version >= current;
}
