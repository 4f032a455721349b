import { CliUsageError } from '../cli-error.ts';
import { Command } from 'commander';

interface RedriveResult {
  total: number;
  queued: number;
  /** Dead letters of the batch moved back to the main queue by a replay, instead of being added a second time. */
  replayed: number;
  /** Dead letters of the batch that the replay could not move. They stay dead-lettered. */
  replayFailures: Array<{ id: string; message: string }>;
  /** Pushes skipped because a job of theirs is still waiting, retrying or running. */
  stillQueued: number;
  /** Jobs of the batch found in the main queue, archived or not: a push is archived at its first attempt. */
  queuedJobs: number;
  /** False when the queue scan stopped early, so a push still queued may have been added again. */
  scanComplete: boolean;
  scanLimit: number;
  failures: Array<{ studentNo: string; message: string }>;
}

export function redriveCommand(): Command {
  return new Command('redrive')
    .summary('从归档重新处理整个批次 (re-drive a batch from the archive)')
    .description(
      '把批次的每条归档推送重新放入主队列 (解密归档内容, 构造任务数据). 已应用的推送再次处理不会改变数据,\n' +
        '所以可以放心重复执行. 仍在主队列中等待, 重试或处理的推送会被跳过. 批次中仍在死信队列里的推送\n' +
        '先按 replay 的方式放回 (移出死信队列), 不会再入队一次. 用于死信已被删除或需要整批重算的情况;\n' +
        '一般的失败重放请用 replay.\n' +
        'Replays the batch\'s dead letters, then re-enqueues every other archived push of the batch that has no job left in the main queue; applied pushes change nothing.',
    )
    .requiredOption('--batch <bg_pch>', '批次号 (batch number)')
    .action(async (options: { batch: string }) => {
      const result = await runRedrive(options.batch);
      // Dead letters can exist without archive rows, when the database was down for every attempt.
      if (result.total === 0 && result.replayed === 0 && result.replayFailures.length === 0 && result.queuedJobs > 0) {
        process.stdout.write(
          `批次 ${options.batch} 的 ${result.queuedJobs} 条推送仍在主队列中等待首次处理, 尚未归档, 无需 redrive; 用 student-sync batch ${options.batch} 查看 (all pushes still queued, nothing to re-drive)\n`,
        );
        return;
      }
      if (result.total === 0 && result.replayed === 0 && result.replayFailures.length === 0) {
        throw new CliUsageError(`批次 ${options.batch} 没有归档的推送, 也没有死信 (no archived pushes or dead letters for this batch)`);
      }
      for (const failure of result.failures.slice(0, 10)) process.stdout.write(`失败 学号 ${failure.studentNo}: ${failure.message}\n`);
      for (const failure of result.replayFailures.slice(0, 10)) process.stdout.write(`死信重放失败 ${failure.id}: ${failure.message}\n`);
      if (!result.scanComplete) {
        process.stdout.write(`注意: 主队列积压过多, 只检查了前 ${result.scanLimit} 个未完成任务; 其余仍在队列中的推送也被重新放入, 重复处理不会改变数据 (queue scan incomplete)\n`);
      }
      process.stdout.write(
        `批次 ${options.batch}: 归档 ${result.total} 条, 已放入主队列 ${result.queued} 条, 死信重放 ${result.replayed} 条, 仍在主队列中而跳过 ${result.stillQueued} 条, 失败 ${result.failures.length + result.replayFailures.length} 条 (queued, dead letters replayed, skipped, failed)\n`,
      );
      if (result.failures.length + result.replayFailures.length > 0) process.exitCode = 1;
    });
}

async function runRedrive(batchNo: string): Promise<RedriveResult> {
  const [{ withRedriveTools }, batches, replay, { createMoveProgress }] = await Promise.all([
    import('./replay-services.ts'),
    import('@student-sync/db/batches'),
    import('@student-sync/queue/replay'),
    import('./replay-progress.ts'),
  ]);
  return withRedriveTools(async ({ prisma, pushQueue, deadLetters }, keyring) => {
    const total = await batches.countBatchPushes(prisma, batchNo);
    // A dead letter left in place would stay beside the re-enqueued push, and a second failure would add another.
    const dead = await replay.selectDeadLetters(deadLetters, { batchNo });
    const deadKeys = new Set(dead.entries.map((entry) => entry.data.push.idempotencyKey));
    const replayed = await replay.replayDeadLetters(
      {
        deadLetters,
        pushQueue,
        markRequeued: async (keys) => {
          await batches.markRequeued(prisma, keys);
        },
      },
      { batchNo, ids: dead.entries.map((entry) => entry.job.id!) },
    );
    // A push with a job still to run would otherwise run twice, and if both failed it would be dead-lettered twice.
    const queued = await replay.queuedBatchKeys(pushQueue, batchNo);
    const result: RedriveResult = {
      total,
      queued: 0,
      replayed: replayed.replayedIds.length,
      replayFailures: replayed.failures,
      stillQueued: 0,
      queuedJobs: queued.keys.size,
      scanComplete: queued.complete,
      scanLimit: replay.QUEUE_SCAN_LIMIT,
      failures: [],
    };
    const progress = createMoveProgress('重新入队', total);
    let deadLettered = 0;
    const done = () => result.queued + result.stillQueued + result.failures.length + deadLettered;
    // One id per run, so this run's jobs are new even where an earlier job of the push is retained.
    const runId = Date.now().toString(36);
    try {
      for await (const record of batches.readBatchPushes(prisma, batchNo)) {
        // The replay above handled these, whether it moved them or reported a failure.
        if (deadKeys.has(record.idempotencyKey)) {
          deadLettered += 1;
          progress.update({ done: done(), total, failed: result.failures.length });
          continue;
        }
        if (queued.keys.has(record.idempotencyKey)) {
          result.stillQueued += 1;
          progress.update({ done: done(), total, failed: result.failures.length });
          continue;
        }
        try {
          const data = replay.pushJobDataFromArchive(record, keyring);
          if (record.status === 'DEAD') await batches.markRequeued(prisma, [record.idempotencyKey]);
          await replay.redrivePush(pushQueue, data, runId);
          result.queued += 1;
        } catch (error) {
          result.failures.push({ studentNo: record.studentNo, message: (error as Error).message });
        }
        progress.update({ done: done(), total, failed: result.failures.length });
      }
    } finally {
      progress.stop();
    }
    return result;
  });
}
