import { parseChangeTime } from '@student-sync/domain';
import { InvalidArgumentError } from 'commander';

/** ISO 8601 with a zone ('Z' or an offset such as +08:00). */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parser of --since and --until: 14 digits yyyyMMddHHmmss in GMT+8 (the form of bg_sj), or
 * ISO 8601 with a time zone. A time without a zone is rejected, because the operator's
 * zone and the server's may differ.
 */
export function parseTimeOption(value: string): Date {
  const changeTime = parseChangeTime(value);
  if (changeTime) return changeTime;
  if (ISO_WITH_ZONE.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw new InvalidArgumentError(`时间 "${value}" 格式无效: 用 yyyyMMddHHmmss (北京时间) 或带时区的 ISO 8601, 如 20240901080000 或 2024-09-01T08:00:00+08:00 (invalid time)`);
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
