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

describe('replay filter options', () => {
  /** Parses `args` with commander's exit replaced by a throw, and returns its error output. */
  async function usageError(args: string[]): Promise<string> {
    let written = '';
    const command = replayCommand()
      .exitOverride()
      .configureOutput({ writeErr: (text) => (written += text) });
    await expect(command.parseAsync(args, { from: 'user' })).rejects.toThrow();
    return written;
  }

  it.each([['--batch'], ['--app-key'], ['--id']])('rejects an empty %s', async (flag) => {
    expect(await usageError([flag, '', '--dry-run'])).toContain('不能为空 (must not be empty); 不按这一项筛选时请去掉这个选项');
    expect(await usageError([flag, '   ', '--dry-run'])).toContain('不能为空');
  });

  it('rejects an overlong batch number', async () => {
    expect(await usageError(['--batch', 'B'.repeat(129), '--dry-run'])).toContain('最多 128 个字符 (at most 128 characters)');
  });

  it('trims filter values', () => {
    const command = replayCommand();
    command.parseOptions(['--batch', ' 2026-FALL ', '--id', ' demo.1 ', '--id', 'demo.2']);
    expect(command.opts()).toMatchObject({ batch: '2026-FALL', id: ['demo.1', 'demo.2'] });
  });

  it.each([['NOPE'], [''], ['STUDENT_MISSING']])('rejects error code %j', async (code) => {
    const written = await usageError(['--error-code', code, '--dry-run']);
    expect(written).toContain('不是已知的错误码, 可选 (not a known error code, one of): INVALID_JOB_DATA, INVALID_PUSH,');
    expect(written).toContain('STUDENT_NOT_FOUND');
  });

  it('reads an error code in any case', () => {
    const command = replayCommand();
    command.parseOptions(['--error-code', ' student_not_found ']);
    expect(command.opts()).toMatchObject({ errorCode: 'STUDENT_NOT_FOUND' });
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
