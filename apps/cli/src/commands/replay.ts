import { failureKindLabel } from '@student-sync/domain/errors';
import type { DeadLetterFilter, DeadLetterSummary, ReplayResult } from '@student-sync/queue/replay';
import { CliUsageError } from '../cli-error.ts';
import { Command, Option } from 'commander';
import { textTable } from '../text-table.ts';
import { errorCodeOption, integerIn, nonEmptyText } from './option-parsers.ts';
import { collectWith, parseTimeOption } from './replay-options.ts';
import { formatBeijingTime } from './replay-time.ts';

interface ReplayOptions {
  batch?: string;
  appKey?: string;
  errorCode?: string;
  since?: Date;
  until?: Date;
  id?: string[];
  dryRun?: boolean;
  limit?: number;
}

/** Most dead letters listed one per line; the summary always counts all of them. */
const MAX_LISTED = 50;
/** Maximum characters of each error message in the list. The admin dead-letter page shows the whole message. */
const MESSAGE_CHARS = 80;

export function replayCommand(): Command {
  return new Command('replay')
    .summary('把死信队列中的推送重新放回主队列 (replay dead-lettered pushes)')
    .description(
      '按批次号, app-key, 错误码, 时间范围或 id 选出死信, 以新的重试次数放回主队列; 先放回, 再删除死信.\n' +
        '重复执行是安全的: 已应用的推送再次处理不会改变任何数据. 不给条件时选择全部死信.\n' +
        'Moves matching dead letters back to the main queue with a fresh retry budget; safe to repeat.',
    )
    .addOption(new Option('--batch <bg_pch>', '批次号 (batch number, bg_pch)').argParser(nonEmptyText(128)))
    .addOption(new Option('--app-key <appKey>', '推送方 app-key').argParser(nonEmptyText(128)))
    .addOption(new Option('--error-code <code>', '最后一次失败的错误码, 如 DATABASE_ERROR (error code)').argParser(errorCodeOption))
    .addOption(new Option('--since <time>', '此时间及之后进入死信的 (dead-lettered at or after); yyyyMMddHHmmss 北京时间, 或带时区的 ISO 8601').argParser(parseTimeOption))
    .addOption(new Option('--until <time>', '此时间之前进入死信的 (dead-lettered before); 格式同 --since').argParser(parseTimeOption))
    .addOption(new Option('--id <jobId>', '死信 id, 可重复 (dead-letter id, repeatable)').argParser(collectWith(nonEmptyText(300))))
    .option('--dry-run', '只列出将要放回的死信, 不做改动 (list only)')
    .addOption(new Option('--limit <n>', '本次最多处理的死信数 (max dead letters handled)').argParser(integerIn(1, 1_000_000)))
    .action(async (options: ReplayOptions) => {
      if (options.since && options.until && options.since.getTime() >= options.until.getTime()) {
        throw new CliUsageError(`--since (${formatBeijingTime(options.since.toISOString())}) 必须早于 --until (${formatBeijingTime(options.until.toISOString())}), 否则没有死信能符合 (--since must be before --until)`);
      }
      const filter: DeadLetterFilter = {
        batchNo: options.batch,
        appKey: options.appKey,
        errorCode: options.errorCode,
        since: options.since,
        until: options.until,
        ids: options.id,
      };
      const result = await runReplay(filter, options.dryRun ?? false, options.limit);
      process.stdout.write(`${formatReplay(result)}\n`);
      // A requested id that is not a dead letter is a failure too, so a script that replays by id notices a typo.
      if (result.failures.length > 0 || result.missingIds.length > 0) process.exitCode = 1;
    });
}

/** Loads the queue and database modules only here, so `--help` stays fast. */
async function runReplay(filter: DeadLetterFilter, dryRun: boolean, limit: number | undefined): Promise<ReplayResult> {
  const [{ withQueueTools }, { replayDeadLetters }, { markRequeued }, { createMoveProgress }] = await Promise.all([
    import('./replay-services.ts'),
    import('@student-sync/queue/replay'),
    import('@student-sync/db/batches'),
    import('./replay-progress.ts'),
  ]);
  return withQueueTools('student-sync replay', async ({ prisma, pushQueue, deadLetters }) => {
    let progress: ReturnType<typeof createMoveProgress> | undefined;
    try {
      return await replayDeadLetters(
        {
          deadLetters,
          pushQueue,
          markRequeued: async (keys) => {
            await markRequeued(prisma, keys);
          },
        },
        filter,
        {
          dryRun,
          limit,
          onProgress: (update) => {
            progress ??= createMoveProgress('放回主队列', update.total);
            progress.update(update);
          },
        },
      );
    } finally {
      progress?.stop();
    }
  });
}

/** Formats the outcome for the operator, Chinese first. */
export function formatReplay(result: ReplayResult): string {
  const lines: string[] = [];
  const missing = result.missingIds.length > 0 ? [`死信队列中没有这些 id, 可能拼错或已重放 (not in the dead-letter queue, mistyped or already replayed): ${result.missingIds.slice(0, 10).join(', ')}`] : [];
  if (result.matched.length === 0 && result.invalidIds.length === 0) return [...missing, '没有符合条件的死信 (no matching dead letters)'].join('\n');
  lines.push(...missing);
  if (result.matched.length > 0) {
    lines.push(...textTable([['死信 id', '批次号', 'app-key', '学号', '错误码', '原因', '尝试次数', '进入死信时间 (北京时间)', '错误信息'], ...result.matched.slice(0, MAX_LISTED).map(letterRow)]));
    if (result.matched.length > MAX_LISTED) lines.push(`... 另有 ${result.matched.length - MAX_LISTED} 条未列出`);
  }
  if (result.truncated) lines.push('注意: 已达到 --limit, 可能还有符合条件的死信 (limit reached)');
  if (result.invalidIds.length > 0) lines.push(`跳过 ${result.invalidIds.length} 条数据无效的死信: ${result.invalidIds.slice(0, 10).join(', ')}`);

  if (result.dryRun) {
    lines.push(`预演: 将放回 ${result.matched.length} 条, 未做任何改动 (dry run, nothing changed)`);
    return lines.join('\n');
  }
  for (const failure of result.failures.slice(0, 10)) lines.push(`失败 ${failure.id}: ${failure.message}`);
  if (result.claimedElsewhereIds.length > 0) {
    lines.push(`另有 ${result.claimedElsewhereIds.length} 条正由同时运行的另一次重放处理, 本次未改动 (claimed by another replay)`);
  }
  lines.push(`已放回主队列 ${result.replayedIds.length} 条, 失败 ${result.failures.length} 条 (replayed, failed)`);
  if (result.failures.length > 0) lines.push('失败的死信仍在死信队列中, 排除原因后可再次执行 replay');
  return lines.join('\n');
}

function letterRow(letter: DeadLetterSummary): string[] {
  return [letter.id, letter.batchNo ?? '-', letter.appKey, letter.studentNo, letter.errorCode, failureKindLabel(letter.reason), String(letter.attemptsMade), formatBeijingTime(letter.lastFailedAt), shorten(letter.errorMessage, MESSAGE_CHARS)];
}

function shorten(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
