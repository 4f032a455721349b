import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../cli-error.ts';
import { formatReplay, replayCommand } from './replay.ts';

describe('replay options', () => {
  it('rejects --since not before --until', async () => {
    const command = replayCommand().exitOverride();
    const parsing = command.parseAsync(['--since', '20261206000000', '--until', '20261205000000', '--dry-run'], { from: 'user' });
    await expect(parsing).rejects.toBeInstanceOf(CliUsageError);
    await expect(parsing).rejects.toThrow('--since (2026-12-06 00:00:00) 必须早于 --until (2026-12-05 00:00:00)');
  });
});

describe('formatReplay', () => {
  const empty = { dryRun: true, matched: [], replayedIds: [], failures: [], invalidIds: [], claimedElsewhereIds: [], truncated: false };

  it('names ids that are not dead letters', () => {
    const text = formatReplay({ ...empty, missingIds: ['demo.nope'] });
    expect(text).toContain('死信队列中没有这些 id, 可能拼错或已重放 (not in the dead-letter queue, mistyped or already replayed): demo.nope');
    expect(text).toContain('没有符合条件的死信');
  });

  it('says nothing of missing ids when there are none', () => {
    expect(formatReplay({ ...empty, missingIds: [] })).toBe('没有符合条件的死信 (no matching dead letters)');
  });
});
