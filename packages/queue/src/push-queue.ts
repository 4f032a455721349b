import { Queue, type DefaultJobOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { PUSH_JOB_NAME, PUSH_QUEUE } from './names.ts';
import type { PushJobData } from './payload.ts';
import { withQueueTimeout } from './timeout.ts';

/** Retry and retention of push jobs. BullMQ fixes both per job when the job is added. */
export interface PushJobPolicy {
  /** Attempts per push, the first included. */
  attempts: number;
  /** Delay before the first retry; each later retry doubles it, with up to 50% random jitter. */
  backoffBaseMs: number;
  /** How long finished jobs stay in Redis, which is how long a resend is deduplicated by job id. */
  retentionMs: number;
  /** Upper bound on kept completed (and, separately, failed) jobs, so Redis memory stays flat under bursts. */
  retentionCount: number;
}

/** The worker's defaults, so a producer and a worker configured with no variables agree. */
export const DEFAULT_PUSH_JOB_POLICY: PushJobPolicy = {
  attempts: 10,
  backoffBaseMs: 1_000,
  retentionMs: 86_400_000,
  retentionCount: 100_000,
};

/** Builds the BullMQ options every push job is added with. */
export function pushJobOptions(policy: PushJobPolicy): DefaultJobOptions {
  // BullMQ counts job age in seconds.
  const keep = { age: Math.ceil(policy.retentionMs / 1000), count: policy.retentionCount };
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffBaseMs, jitter: 0.5 },
    removeOnComplete: keep,
    removeOnFail: keep,
  };
}

export type PushQueue = Queue<PushJobData, unknown, typeof PUSH_JOB_NAME>;

export interface PushQueueOptions {
  connection: Redis;
  /** BullMQ key prefix, e.g. `{student-sync}`; tests use a random one. */
  prefix: string;
  jobPolicy?: PushJobPolicy;
  /** Receives connection errors; BullMQ emits them as events, which crash the process when unheard. */
  onError: (error: Error) => void;
}

/** Opens the main push queue with the push job policy as default job options. */
export function createPushQueue(options: PushQueueOptions): PushQueue {
  const queue: PushQueue = new Queue(PUSH_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: pushJobOptions(options.jobPolicy ?? DEFAULT_PUSH_JOB_POLICY),
  });
  queue.on('error', options.onError);
  return queue;
}

/**
 * Derives the BullMQ job id from an idempotency key. BullMQ 5.81 rejects custom ids that
 * contain ':' (unless they have exactly three parts, a legacy form), so the separator
 * before the body digest becomes '.'. App-keys cannot contain ':', so the mapping is one to one.
 */
export function pushJobId(idempotencyKey: string): string {
  const id = idempotencyKey.replace(/:(?=[0-9a-f]{64}$)/, '.');
  if (id.includes(':')) throw new Error(`idempotency key "${id.slice(0, 80)}" must be <app-key>:<sha256 hex> with no other ':'`);
  return id;
}

/**
 * Adds a push job and resolves once Redis stores it. A job with the same id that is still
 * waiting, active or kept after finishing makes this a no-op, which deduplicates resends.
 */
export async function enqueuePush(queue: PushQueue, data: PushJobData, timeoutMs: number): Promise<Job<PushJobData>> {
  const jobId = pushJobId(data.idempotencyKey);
  return withQueueTimeout(queue.add(PUSH_JOB_NAME, data, { jobId }), timeoutMs, 'adding the push job');
}
