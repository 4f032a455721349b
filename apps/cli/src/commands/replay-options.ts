import { OPERATOR_TIME_FORMS, parseOperatorTime } from '@student-sync/protocol';
import { InvalidArgumentError } from 'commander';

/**
 * Parser of --since and --until: 14 digits yyyyMMddHHmmss in GMT+8 (the form of bg_sj), or
 * ISO 8601 with a time zone. A time without a zone is rejected, because the operator's
 * zone and the server's may differ.
 */
export function parseTimeOption(value: string): Date {
  const time = parseOperatorTime(value);
  if (time) return time;
  throw new InvalidArgumentError(`时间 "${value}" 格式无效: 用 ${OPERATOR_TIME_FORMS} (invalid time)`);
}

/** Collects a repeatable option into an array, each value read by `parse`. */
export function collectWith(parse: (value: string) => string) {
  return (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), parse(value)];
}
