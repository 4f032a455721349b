import { describe, expect, it } from 'vitest';
import { batchCommand, formatBatchList } from './batch.ts';

const counts = { total: 3, received: 0, applied: 2, retrying: 0, dead: 1 };

describe('formatBatchList', () => {
  it('adds pushes without a batch after the table', () => {
    const batch = { batchNo: 'BG1', archive: counts, firstReceivedAt: new Date('2026-12-05T01:00:00Z'), lastReceivedAt: new Date('2026-12-05T02:00:00Z') };
    const lines = formatBatchList([batch], counts).split('\n');
    expect(lines[1]).toContain('BG1');
    expect(lines.at(-1)).toContain('另有 3 条推送没有批次号: 已应用 2, 重试中 0, 死信 1, 待处理 0');
  });

  it('shows them when no batch exists', () => {
    expect(formatBatchList([], counts)).toMatch(/^没有批次 \(no batches\)\n另有 3 条推送没有批次号/);
  });

  it('leaves them out when there are none', () => {
    expect(formatBatchList([], { ...counts, total: 0, applied: 0, dead: 0 })).toBe('没有批次 (no batches)');
  });
});

describe('batch command', () => {
  it('rejects an empty batch number', async () => {
    let written = '';
    const command = batchCommand()
      .exitOverride()
      .configureOutput({ writeErr: (text) => (written += text) });
    await expect(command.parseAsync([' '], { from: 'user' })).rejects.toThrow();
    expect(written).toContain("argument 'bg_pch'");
    expect(written).toContain('不能为空 (must not be empty); 请给出批次号, 可用 student-sync batches 列出批次');
  });
});
