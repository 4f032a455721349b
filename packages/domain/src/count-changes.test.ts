import { describe, expect, it } from 'vitest';
import { countChanges } from './count-changes.ts';
import type { HistoryEntry } from './decision.ts';

const entry = (changeType: string, outcome: HistoryEntry['outcome']): HistoryEntry => ({
  detailIndex: 0,
  changeType,
  beforeCode: null,
  beforeName: null,
  afterCode: null,
  afterName: null,
  outcome,
});

describe('countChanges', () => {
  it('groups by change type and outcome', () => {
    const counts = countChanges([entry('KZ_BJ_ID', 'APPLIED'), entry('KZ_BJ_ID', 'APPLIED'), entry('KZ_BJ_ID', 'SUPERSEDED'), entry('X_NEW', 'IGNORED')]);
    expect(counts).toContainEqual({ changeType: 'KZ_BJ_ID', outcome: 'APPLIED', count: 2 });
    expect(counts).toContainEqual({ changeType: 'KZ_BJ_ID', outcome: 'SUPERSEDED', count: 1 });
    expect(counts).toContainEqual({ changeType: 'X_NEW', outcome: 'IGNORED', count: 1 });
    expect(counts).toHaveLength(3);
  });

  it('returns nothing for a push without details', () => {
    expect(countChanges([])).toEqual([]);
  });
});
