import type { Job } from 'bullmq';
import type { DeadLetterQueue } from '../consumer/dead-letter.ts';
import { readDeadLetterData } from '../consumer/job-data.ts';
import type { DeadLetterJobData } from '../payload.ts';
import { type DeadLetterFilter, matchesFilter } from './filter.ts';

/** Dead-letter jobs wait for an operator; nothing processes them, so they stay in these states. */
const DEAD_LETTER_STATES = ['waiting', 'paused', 'prioritized', 'delayed'] as const;
const PAGE_SIZE = 500;

/** A dead letter with valid data, and the job that stores it. */
export interface DeadLetterEntry {
  job: Job<DeadLetterJobData>;
  data: DeadLetterJobData;
}

export interface SelectionResult {
  entries: DeadLetterEntry[];
  /** Ids of dead-letter jobs whose data does not match the schema; they are never replayed. */
  invalidIds: string[];
  /** Ids requested in `filter.ids` that are not in the dead-letter queue, such as a mistyped or already replayed one. */
  missingIds: string[];
  /** True when `limit` stopped the selection, so more dead letters may match. */
  truncated: boolean;
}

/** Reads the dead letters that match `filter`, oldest first, at most `limit` of them. */
export async function selectDeadLetters(queue: DeadLetterQueue, filter: DeadLetterFilter, limit = Number.POSITIVE_INFINITY): Promise<SelectionResult> {
  const result: SelectionResult = { entries: [], invalidIds: [], missingIds: [], truncated: false };
  const keep = (job: Job<DeadLetterJobData> | undefined) => {
    if (!job?.id) return;
    let data: DeadLetterJobData;
    try {
      data = readDeadLetterData(job.data);
    } catch {
      result.invalidIds.push(job.id);
      return;
    }
    if (matchesFilter(data, filter)) result.entries.push({ job, data });
  };

  if (filter.ids !== undefined) {
    for (const id of new Set(filter.ids)) {
      const job = await queue.getJob(id);
      if (job === undefined) result.missingIds.push(id);
      else keep(job);
    }
  } else {
    for (let start = 0; ; start += PAGE_SIZE) {
      const page = await queue.getJobs([...DEAD_LETTER_STATES], start, start + PAGE_SIZE - 1, true);
      page.forEach(keep);
      if (page.length < PAGE_SIZE) break;
      if (result.entries.length >= limit) {
        result.truncated = true;
        break;
      }
    }
  }

  if (result.entries.length > limit) {
    result.entries.length = limit;
    result.truncated = true;
  }
  return result;
}
