import type { Redis } from 'ioredis';
import type { DeadLetterQueue } from '../consumer/dead-letter.ts';
import { pushJobName } from '../names.ts';
import type { PushQueue } from '../push-queue.ts';
import type { DeadLetterFilter } from './filter.ts';
import { replayJobId } from './job-ids.ts';
import { type DeadLetterEntry, selectDeadLetters } from './select.ts';

/** Dead letters handled per round: their archive rows are marked in one call, then each is moved. */
const CHUNK_SIZE = 100;
/**
 * Lifetime of a replay's claim on a dead letter. A move takes two Redis calls, far less than
 * this, and the claim is deleted after it. The expiry frees a claim left by a process that died.
 */
const CLAIM_TTL_MS = 10 * 60_000;

export interface ReplayDependencies {
  deadLetters: DeadLetterQueue;
  /** The main queue, opened with the push job policy, so replayed jobs get its attempts and retention. */
  pushQueue: PushQueue;
  /**
   * Marks the archived pushes as queued again before they return to the main queue, so the
   * archive stops counting them as dead. A worker that fails them again marks them DEAD.
   */
  markRequeued?: (idempotencyKeys: string[]) => Promise<void>;
}

export interface ReplayOptions {
  /** Lists what would move and changes nothing. */
  dryRun?: boolean;
  /** Most dead letters handled in one call. */
  limit?: number;
  /** Called after each dead letter is handled, for a progress display. */
  onProgress?: (progress: { done: number; total: number; failed: number }) => void;
}

/** One selected dead letter, without personal data. */
export interface DeadLetterSummary {
  id: string;
  batchNo: string | null;
  appKey: string;
  studentNo: string;
  errorCode: string;
  /** Message of the last failed attempt. Like every stored error message, it contains no ID or card number. */
  errorMessage: string;
  reason: string;
  attemptsMade: number;
  lastFailedAt: string;
}

export interface ReplayResult {
  dryRun: boolean;
  /** Dead letters that matched the filter (all of them, or the first `limit`). */
  matched: DeadLetterSummary[];
  /** Ids of the dead letters moved back to the main queue. */
  replayedIds: string[];
  /** Dead letters that could not be moved, with the error; they stay in the dead-letter queue. */
  failures: Array<{ id: string; message: string }>;
  /** Dead-letter job ids whose data is invalid; they are skipped. */
  invalidIds: string[];
  /** Requested dead-letter ids that are not in the queue. Nothing was done for them. */
  missingIds: string[];
  /** Dead letters that another replay running at the same time claimed or moved first; this one left them alone. */
  claimedElsewhereIds: string[];
  /** True when `limit` cut the selection short. */
  truncated: boolean;
}

/**
 * Moves the dead letters that match `filter` back to the main queue with a fresh retry
 * budget. Each push is added under a new job id (see replayJobId), and its dead-letter entry
 * is removed only after the add succeeded. Replaying is safe to repeat: a push the archive
 * already shows APPLIED changes nothing when it runs again.
 */
export async function replayDeadLetters(deps: ReplayDependencies, filter: DeadLetterFilter, options: ReplayOptions = {}): Promise<ReplayResult> {
  const selection = await selectDeadLetters(deps.deadLetters, filter, options.limit);
  const result: ReplayResult = {
    dryRun: options.dryRun ?? false,
    matched: selection.entries.map(summarize),
    replayedIds: [],
    failures: [],
    invalidIds: selection.invalidIds,
    missingIds: selection.missingIds,
    claimedElsewhereIds: [],
    truncated: selection.truncated,
  };
  if (result.dryRun) return result;

  const total = selection.entries.length;
  for (let start = 0; start < total; start += CHUNK_SIZE) {
    const chunk = selection.entries.slice(start, start + CHUNK_SIZE);
    await replayChunk(deps, chunk, result);
    options.onProgress?.({ done: start + chunk.length, total, failed: result.failures.length });
  }
  return result;
}

/**
 * Claims, marks and moves one chunk of dead letters. Only claimed dead letters are marked in the
 * archive. A replay that marked one which another run had already moved could overwrite the DEAD
 * that the worker wrote when the push failed again.
 */
async function replayChunk(deps: ReplayDependencies, chunk: DeadLetterEntry[], result: ReplayResult): Promise<void> {
  // BullMQ types its client without SET NX. The queues of this project run on ioredis connections (createRedisConnection).
  const redis = (await deps.deadLetters.client) as unknown as Redis;
  const claimed: DeadLetterEntry[] = [];
  for (const entry of chunk) {
    if (await claim(deps, redis, entry, result)) claimed.push(entry);
  }

  try {
    try {
      if (claimed.length > 0) await deps.markRequeued?.(claimed.map((entry) => entry.data.push.idempotencyKey));
    } catch (error) {
      // The dead letters stay in their queue, so a later replay can move them.
      for (const entry of claimed) result.failures.push({ id: entry.job.id!, message: `marking the archive failed: ${(error as Error).message}` });
      return;
    }
    for (const entry of claimed) await moveOne(deps, entry, result);
  } finally {
    // Released, so that a replay claiming one later finds it gone or, after a failure, moves it.
    if (claimed.length > 0) await redis.del(...claimed.map((entry) => claimKeyOf(deps, entry))).catch(() => undefined);
  }
}

function claimKeyOf(deps: ReplayDependencies, entry: DeadLetterEntry): string {
  return deps.deadLetters.toKey(`replay-claim:${entry.job.id!}`);
}

/**
 * Claims a dead letter for this replay. Two replays running at once select the same dead
 * letters, and only the one that claims a dead letter that still exists moves it, so each run
 * reports only what it moved.
 */
async function claim(deps: ReplayDependencies, redis: Redis, entry: DeadLetterEntry, result: ReplayResult): Promise<boolean> {
  const id = entry.job.id!;
  const key = claimKeyOf(deps, entry);
  let owned = false;
  try {
    owned = (await redis.set(key, String(process.pid), 'PX', CLAIM_TTL_MS, 'NX')) !== null;
    if (owned && (await deps.deadLetters.getJob(id)) !== undefined) return true;
    // Another replay has the claim, or it moved the dead letter after this run selected it.
    result.claimedElsewhereIds.push(id);
  } catch (error) {
    result.failures.push({ id, message: (error as Error).message });
  }
  if (owned) await redis.del(key).catch(() => undefined);
  return false;
}

async function moveOne(deps: ReplayDependencies, entry: DeadLetterEntry, result: ReplayResult): Promise<void> {
  const id = entry.job.id!;
  try {
    const target = await replayTarget(deps.pushQueue, entry.data.originalJobId || id);
    // Order matters: remove the dead letter only once the push is stored in the main queue.
    if (!target.queued) await deps.pushQueue.add(pushJobName(entry.data.push), entry.data.push, { jobId: target.jobId });
    await entry.job.remove();
    result.replayedIds.push(id);
  } catch (error) {
    result.failures.push({ id, message: (error as Error).message });
  }
}

/** Maximum job ids one replay tries. Each finished job of the push still retained under a tried id moves it one round on. */
const MAX_REPLAY_ID_PROBES = 100;

/**
 * Picks the job id a dead letter is replayed under, from the id of the job that failed. When a
 * job under that replay id is still waiting, delayed or running, the push is already queued:
 * a replay that died before removing the dead letter left it. When it has finished, the next
 * round's id is tried, because BullMQ would ignore an add under an id it still retains.
 */
async function replayTarget(pushQueue: PushQueue, failedJobId: string): Promise<{ jobId: string; queued: boolean }> {
  let jobId = replayJobId(failedJobId);
  for (let probe = 0; probe < MAX_REPLAY_ID_PROBES; probe++) {
    const state = await pushQueue.getJobState(jobId);
    if (state === 'unknown') return { jobId, queued: false };
    if (state !== 'completed' && state !== 'failed') return { jobId, queued: true };
    jobId = replayJobId(jobId);
  }
  throw new Error(`no free replay job id after ${MAX_REPLAY_ID_PROBES} tries from ${failedJobId}`);
}

function summarize({ job, data }: DeadLetterEntry): DeadLetterSummary {
  return {
    id: job.id!,
    batchNo: data.push.batchNo,
    appKey: data.push.appKey,
    studentNo: data.push.studentNo,
    errorCode: data.errorCode,
    errorMessage: data.errorMessage,
    reason: data.reason,
    attemptsMade: data.attemptsMade,
    lastFailedAt: data.lastFailedAt,
  };
}
