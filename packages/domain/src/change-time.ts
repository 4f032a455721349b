import { parseTimestamp } from '@student-sync/protocol';

/**
 * Converts bg_sj (yyyyMMddHHmmss, GMT+8) to an instant, or returns null when the text
 * is not 14 digits forming a real calendar date and time. It applies the ingress's own rule,
 * so every bg_sj the ingress accepted converts here.
 */
export function parseChangeTime(text: string): Date | null {
  return parseTimestamp(text) ?? null;
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
