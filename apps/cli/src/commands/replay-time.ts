const GMT8_OFFSET_MS = 8 * 3_600_000;

/** Formats an instant as `yyyy-MM-dd HH:mm:ss` in Beijing time (GMT+8), the zone the fee platform uses. */
export function formatBeijingTime(instant: Date | string): string {
  const time = typeof instant === 'string' ? new Date(instant) : instant;
  return new Date(time.getTime() + GMT8_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
