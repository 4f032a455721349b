import type { Push } from '@student-sync/domain';
import type { ApplyResult, ArchivedPush } from '../apply/types.ts';

/** One push of a group, as `applyPush` takes it. */
export interface BatchItem {
  archived: ArchivedPush;
  push: Push;
  /** Attempt number, starting at 1, stored on the archive row. */
  attempt: number;
}

/** Outcome of one push of a group: its result, or the error `applyPush` would have thrown. */
export type BatchOutcome = { ok: true; result: ApplyResult } | { ok: false; error: unknown };
