import type { ArchiveCounts, BatchListItem, BatchSummary } from '@student-sync/db/batches';
import { Argument, Command, Option } from 'commander';
import { CliUsageError } from '../cli-error.ts';
import { textTable } from '../text-table.ts';
import { integerIn, nonEmptyText } from './option-parsers.ts';
import { formatBeijingTime } from './replay-time.ts';

export function batchCommand(): Command {
  return new Command('batch')
    .summary('查看一个批次的处理情况 (show one batch)')
    .description(
      '按批次号 (bg_pch) 显示推送的接收, 已应用, 重试中, 死信数量, 主队列中尚未处理的数量, 以及涉及的学生.\n' +
        'Shows received / applied / retrying / dead counts of a batch, its queued jobs and its students.',
    )
    .addArgument(new Argument('<bg_pch>', '批次号 (batch number)').argParser(nonEmptyText(128, '请给出批次号, 可用 student-sync batches 列出批次 (give a batch number; student-sync batches lists them)')))
    .addOption(new Option('--max-shown <n>', '最多列出的推送条数 (max pushes listed)').argParser(integerIn(0, 100_000)).default(200))
    .action(async (batchNo: string, options: { maxShown: number }) => {
      const [{ withQueueTools }, { getBatchSummary, isUnknownBatch }, { countQueuedBatch }] = await Promise.all([
        import('./replay-services.ts'),
        import('@student-sync/db/batches'),
        import('@student-sync/queue/replay'),
      ]);
      const summary = await withQueueTools('student-sync batch', ({ prisma, pushQueue }) =>
        getBatchSummary(prisma, batchNo, { pushLimit: options.maxShown, countQueued: (batch) => countQueuedBatch(pushQueue, batch) }),
      );
      if (isUnknownBatch(summary)) throw new CliUsageError(`没有批次号为 ${batchNo} 的推送, 请检查批次号, 或用 student-sync batches 列出批次 (no push has this batch number)`);
      process.stdout.write(`${formatBatch(summary)}\n`);
    });
}

export function batchesCommand(): Command {
  return new Command('batches')
    .summary('列出批次, 最新的在前 (list batches, newest first)')
    .description('列出有推送归档的批次 (bg_pch) 及各状态数量, 按最近一条推送的接收时间倒序. 没有批次号的推送在表后合计.')
    .addOption(new Option('--limit <n>', '最多列出的批次数 (max batches)').argParser(integerIn(1, 10_000)).default(50))
    .addOption(new Option('--offset <n>', '跳过的批次数, 用于翻页 (batches skipped)').argParser(integerIn(0, 10_000_000)).default(0))
    .action(async (options: { limit: number; offset: number }) => {
      const [{ withQueueTools }, { countUnbatchedPushes, listBatches }] = await Promise.all([import('./replay-services.ts'), import('@student-sync/db/batches')]);
      const [batches, unbatched] = await withQueueTools('student-sync batches', ({ prisma }) => Promise.all([listBatches(prisma, options), countUnbatchedPushes(prisma)]));
      process.stdout.write(`${formatBatchList(batches, unbatched)}\n`);
    });
}

export function formatBatch(summary: BatchSummary): string {
  const { archive, queue } = summary;
  const lines = [
    `批次 ${summary.batchNo}`,
    `  已归档 ${archive.total} 条: 已接收待处理 ${archive.received}, 已应用 ${archive.applied}, 重试中 ${archive.retrying}, 死信 ${archive.dead}`,
    `  涉及学生 ${summary.studentCount} 名; 接收时间 ${optionalTime(summary.firstReceivedAt)} 至 ${optionalTime(summary.lastReceivedAt)} (北京时间)`,
  ];
  if (queue) {
    const bound = queue.complete ? '' : ' (队列很长, 只扫描了一部分, 实际可能更多)';
    lines.push(`  主队列中: 等待 ${queue.waiting}, 等待重试 ${queue.delayed}, 处理中 ${queue.active}${bound}`);
  }
  if (archive.total === 0 && (!queue || queue.waiting + queue.delayed + queue.active === 0)) {
    lines.push('  没有这个批次的推送 (no pushes for this batch)');
    return lines.join('\n');
  }
  if (summary.pushes.length > 0) {
    const rows = summary.pushes.map((push) => [
      push.studentNo,
      push.currentStudentNo ?? '',
      push.operation,
      formatBeijingTime(push.changedAt),
      push.status,
      String(push.attempts),
      // After an applied attempt the error is from an earlier one.
      push.lastErrorCode ? `${push.status === 'APPLIED' ? '此前 ' : ''}${push.lastErrorCode}` : '',
    ]);
    lines.push('', ...textTable([['学号', '现学号', '操作', '变更时间 (北京时间)', '状态', '尝试次数', '最后错误'], ...rows]));
  }
  if (summary.pushes.length < archive.total) lines.push(`... 只列出前 ${summary.pushes.length} 条, 用 --max-shown 查看更多`);
  return lines.join('\n');
}

export function formatBatchList(batches: BatchListItem[], unbatched?: ArchiveCounts): string {
  const lines = batches.length === 0 ? ['没有批次 (no batches)'] : batchTable(batches);
  if (unbatched && unbatched.total > 0) {
    lines.push(
      `另有 ${unbatched.total} 条推送没有批次号: 已应用 ${unbatched.applied}, 重试中 ${unbatched.retrying}, 死信 ${unbatched.dead}, 待处理 ${unbatched.received}` +
        ' (pushes without bg_pch; 其中的死信可按 --app-key, --error-code 或时间用 replay 重放)',
    );
  }
  return lines.join('\n');
}

function batchTable(batches: BatchListItem[]): string[] {
  const rows = batches.map((batch) => [
    batch.batchNo,
    String(batch.archive.total),
    String(batch.archive.applied),
    String(batch.archive.retrying),
    String(batch.archive.dead),
    String(batch.archive.received),
    formatBeijingTime(batch.lastReceivedAt),
  ]);
  return textTable([['批次号', '推送', '已应用', '重试中', '死信', '待处理', '最近接收时间 (北京时间)'], ...rows]);
}

function optionalTime(instant: Date | null): string {
  return instant === null ? '-' : formatBeijingTime(instant);
}
