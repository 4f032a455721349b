import type { PrismaClient } from '@student-sync/db';
import { markRequeued } from '@student-sync/db/batches';
import type { Logger } from '@student-sync/observability';
import type { PushQueue } from '@student-sync/queue';
import type { DeadLetterQueue } from '@student-sync/queue/consumer';
import { type DeadLetterFilter, replayDeadLetters, type ReplayResult } from '@student-sync/queue/replay';

export interface ReplayServiceDeps {
  prisma: PrismaClient;
  pushQueue: PushQueue;
  deadLetters: DeadLetterQueue;
  log: Logger;
}

/** Lists and replays dead letters; the archive marks replayed pushes as queued again. */
export class ReplayService {
  constructor(private readonly deps: ReplayServiceDeps) {}

  /** Lists the dead letters that match `filter`, oldest first, changing nothing. */
  list(filter: DeadLetterFilter, limit: number): Promise<ReplayResult> {
    return this.run(filter, { dryRun: true, limit });
  }

  /** Replays (or, with `dryRun`, previews) the dead letters that match `filter`, and logs who did it. */
  async replay(filter: DeadLetterFilter, options: { dryRun: boolean; limit: number; user: string | null }): Promise<ReplayResult> {
    const result = await this.run(filter, options);
    if (!options.dryRun) {
      const fields = { user: options.user, filter, replayed: result.replayedIds.length, claimedElsewhere: result.claimedElsewhereIds.length, failed: result.failures.length, truncated: result.truncated };
      if (result.failures.length > 0) this.deps.log.warn({ ...fields, failures: result.failures.slice(0, 20) }, 'dead letters replayed, some failed');
      else this.deps.log.info(fields, 'dead letters replayed');
    }
    return result;
  }

  private run(filter: DeadLetterFilter, options: { dryRun: boolean; limit: number }): Promise<ReplayResult> {
    const { prisma, pushQueue, deadLetters } = this.deps;
    return replayDeadLetters(
      { deadLetters, pushQueue, markRequeued: async (keys) => void (await markRequeued(prisma, keys)) },
      filter,
      options,
    );
  }
}
