import type { Push } from '@student-sync/domain';
import { applyPush } from '../apply/apply-push.ts';
import type { ApplyDependencies, ApplyResult, ArchivedPush } from '../apply/types.ts';
import { applyPushBatch } from './apply-batch.ts';
import type { BatchItem } from './types.ts';

export interface BatchApplierOptions {
  /** Pushes per transaction at most. */
  maxBatchSize: number;
  /** Group transactions running at the same time; each uses one database connection. */
  maxConcurrentBatches: number;
  /** Called when a group transaction failed and its pushes are applied one by one instead. */
  onGroupFailed?: (error: unknown, size: number) => void;
}

interface Pending {
  item: BatchItem;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for push workers: `apply` has the contract of `applyPush`, but calls that
 * arrive while a transaction runs wait and then share one transaction (`applyPushBatch`),
 * in arrival order. A second slot starts only with a full group, so callers should keep
 * about one group more in flight than the slots hold. When a group transaction fails as a
 * whole, its pushes are applied one by one with `applyPush`, so one bad push cannot fail
 * the others.
 */
export class BatchApplier {
  private pending: Pending[] = [];
  private running = 0;
  private drainScheduled = false;

  constructor(
    private readonly deps: ApplyDependencies,
    private readonly options: BatchApplierOptions,
  ) {
    if (!(options.maxBatchSize >= 1 && options.maxConcurrentBatches >= 1)) {
      throw new RangeError('maxBatchSize and maxConcurrentBatches must be at least 1');
    }
  }

  /** Applies one push as part of the next group; settles like `applyPush(deps, archived, push, attempt)`. */
  apply(archived: ArchivedPush, push: Push, attempt: number): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item: { archived, push, attempt }, resolve, reject });
      this.scheduleDrain();
    });
  }

  // Waiting one event-loop turn lets the calls of jobs fetched together join one group.
  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  // A partial group starts only while no group runs. Otherwise the calls keep arriving while
  // the running groups hold their transactions, and a slot that frees up gets a fuller group
  // than the few calls that arrived in the last turn.
  private drain(): void {
    while (this.running < this.options.maxConcurrentBatches && this.pending.length > 0) {
      if (this.running > 0 && this.pending.length < this.options.maxBatchSize) return;
      const group = this.pending.splice(0, this.options.maxBatchSize);
      this.running += 1;
      void this.runGroup(group).finally(() => {
        this.running -= 1;
        this.drain();
      });
    }
  }

  private async runGroup(group: Pending[]): Promise<void> {
    let outcomes;
    try {
      outcomes = await applyPushBatch(this.deps, group.map((entry) => entry.item));
    } catch (error) {
      this.options.onGroupFailed?.(error, group.length);
      await this.applyOneByOne(group);
      return;
    }
    outcomes.forEach((outcome, index) => {
      const entry = group[index]!;
      if (outcome.ok) entry.resolve(outcome.result);
      else entry.reject(outcome.error);
    });
  }

  private async applyOneByOne(group: Pending[]): Promise<void> {
    for (const { item, resolve, reject } of group) {
      try {
        resolve(await applyPush(this.deps, item.archived, item.push, item.attempt));
      } catch (error) {
        reject(error);
      }
    }
  }
}
