import type { HistoryEntry } from './decision.ts';

/** Number of change details of one type (bg_lx) that ended with one outcome. */
export interface ChangeCount {
  changeType: string;
  outcome: HistoryEntry['outcome'];
  count: number;
}

/** Counts a push's history entries by change type and outcome, for logs and metrics. */
export function countChanges(history: readonly HistoryEntry[]): ChangeCount[] {
  const counts = new Map<string, ChangeCount>();
  for (const entry of history) {
    const key = `${entry.changeType}\u0000${entry.outcome}`;
    const current = counts.get(key);
    if (current) current.count += 1;
    else counts.set(key, { changeType: entry.changeType, outcome: entry.outcome, count: 1 });
  }
  return [...counts.values()];
}
