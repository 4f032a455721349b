import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../cli-error.ts';
import { replayCommand } from './replay.ts';

describe('replay options', () => {
  it('rejects --since not before --until', async () => {
    const command = replayCommand().exitOverride();
    const parsing = command.parseAsync(['--since', '20261206000000', '--until', '20261205000000', '--dry-run'], { from: 'user' });
    await expect(parsing).rejects.toBeInstanceOf(CliUsageError);
    await expect(parsing).rejects.toThrow('--since (2026-12-06 00:00:00) 必须早于 --until (2026-12-05 00:00:00)');
  });
});
