import { describe, expect, it } from 'vitest';
import type { BenchResults } from './results.ts';
import { summarise } from './summary.ts';
import { formatTables } from './table.ts';

const empty: BenchResults = {
  startedAt: '2026-12-05T09:00:00.000Z',
  smoke: true,
  machine: { cpus: 2, cpuModel: 'test', memoryBytes: 1024 ** 3, node: '20.20.2', loadAverageAtStart: 0, loadAverageAtEnd: 0, referenceWorkMs: 100 },
  settings: { connections: 50 },
  ingress: [],
  worker: [],
  summary: summarise([], []),
  endToEnd: null,
  redisMemory: [],
  harnessPeakRssBytes: 0,
};

describe('formatTables', () => {
  it('marks every skipped section not run', () => {
    const text = formatTables(empty);
    expect(text.match(/^\(not run\)$/gm)).toHaveLength(3);
    expect(text).not.toContain('target');
  });
});
