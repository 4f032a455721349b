import type { ApplyResult } from '../apply/types.ts';
import type { ArchiveRow, NewArchiveRow } from './archive-rows.ts';
import type { BatchItem } from './types.ts';

/**
 * The archive rows of one group: the rows that existed before it (locked), the rows it will
 * insert with their final status, and the results that wait for the id of an inserted row.
 * The archive ends as if applyPush had run for each push in order: one row per idempotency
 * key, APPLIED with the attempt number of the push that applied it, RECEIVED otherwise.
 */
export class GroupArchive {
  private readonly inserts = new Map<string, NewArchiveRow>();
  private readonly appliedKeys = new Set<string>();
  private readonly waiting: Array<{ key: string; result: ApplyResult }> = [];
  /** Rows that existed before the group and are APPLIED by it. */
  readonly appliedExisting: Array<{ pushId: bigint; attempt: number }> = [];

  constructor(private readonly existing: ReadonlyMap<string, ArchiveRow>) {}

  /** True when the push was APPLIED before the group or by an earlier push of it. */
  isApplied(key: string): boolean {
    return this.existing.get(key)?.status === 'APPLIED' || this.appliedKeys.has(key);
  }

  noteApplied(item: BatchItem): void {
    const key = item.archived.idempotencyKey;
    this.appliedKeys.add(key);
    const row = this.existing.get(key);
    if (row) this.appliedExisting.push({ pushId: row.id, attempt: item.attempt });
    else this.inserts.set(key, { push: item.archived, status: 'APPLIED', attempts: item.attempt });
  }

  noteFailed(item: BatchItem): void {
    const key = item.archived.idempotencyKey;
    if (!this.existing.has(key) && !this.inserts.has(key)) this.inserts.set(key, { push: item.archived, status: 'RECEIVED', attempts: 0 });
  }

  /** Sets the push id of `result`, at once for a row that existed or after `assignIds` otherwise. */
  track(key: string, result: ApplyResult): ApplyResult {
    const row = this.existing.get(key);
    if (row) result.pushId = row.id;
    else this.waiting.push({ key, result });
    return result;
  }

  /** Rows to insert, in the order their pushes arrived. */
  newRows(): NewArchiveRow[] {
    return [...this.inserts.values()];
  }

  /** Completes the tracked results with the ids of the inserted rows; returns every push id of the group by key. */
  assignIds(inserted: ReadonlyMap<string, string>): Map<string, string> {
    for (const { key, result } of this.waiting) result.pushId = BigInt(inserted.get(key)!);
    const ids = new Map(inserted);
    for (const [key, row] of this.existing) ids.set(key, String(row.id));
    return ids;
  }
}
