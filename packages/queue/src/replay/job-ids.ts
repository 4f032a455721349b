import { pushJobId } from '../push-queue.ts';

const REPLAY_SUFFIX = /\.r(\d+)$/;

/**
 * Derives the job id of a replayed push from the id of its failed job: `<id>.r1`, then
 * `.r2` when that one fails and is replayed again. A new id gives the push a fresh retry
 * budget while the failed job may still be retained, and replaying one dead letter twice
 * yields the same id, so BullMQ adds the job only once.
 */
export function replayJobId(failedJobId: string): string {
  const match = REPLAY_SUFFIX.exec(failedJobId);
  const round = match ? Number(match[1]) + 1 : 1;
  const base = match ? failedJobId.slice(0, match.index) : failedJobId;
  return `${base}.r${round}`;
}

/** Derives the job id of a push re-driven from the archive in the run `runId`. */
export function redriveJobId(idempotencyKey: string, runId: string): string {
  return `${pushJobId(idempotencyKey)}.redrive-${runId}`;
}
