import { Queue, type DefaultJobOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { PUSH_BACKOFF_TYPE } from './consumer/backoff.ts';
import { PUSH_QUEUE, pushJobName } from './names.ts';
import type { PushJobData } from './payload.ts';
import { QueueUnavailableError, withQueueTimeout } from './timeout.ts';

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

/** The environment variables a job policy is read from; ingress, worker, admin and CLI share them. */
export interface JobPolicyEnv {
  JOB_ATTEMPTS: number;
  JOB_BACKOFF_BASE_MS: number;
  COMPLETED_JOB_RETENTION_MS: number;
  COMPLETED_JOB_RETENTION_COUNT: number;
}

/** Builds the job policy from a process's parsed configuration. */
export function jobPolicyFromEnv(env: JobPolicyEnv): PushJobPolicy {
  return {
    attempts: env.JOB_ATTEMPTS,
    backoffBaseMs: env.JOB_BACKOFF_BASE_MS,
    retentionMs: env.COMPLETED_JOB_RETENTION_MS,
    retentionCount: env.COMPLETED_JOB_RETENTION_COUNT,
  };
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
    // A custom type, so workers apply their own capped strategy with jitter instead of BullMQ's uncapped built-in one.
    backoff: { type: PUSH_BACKOFF_TYPE, delay: policy.backoffBaseMs },
    removeOnComplete: keep,
    removeOnFail: keep,
  };
}

export type PushQueue = Queue<PushJobData, unknown, string>;

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
  return withQueueTimeout(queue.add(pushJobName(data), data, { jobId }), timeoutMs, 'adding the push job');
}

/** Jobs sent to Redis in one pipeline at most; a larger burst is split into several. */
const DEFAULT_MAX_BATCH = 256;

interface PendingJob {
  jobId: string;
  data: PushJobData;
  resolve: (job: Job<PushJobData>) => void;
  reject: (error: unknown) => void;
}

export interface PushEnqueuerOptions {
  /** Upper bound of one caller's wait for Redis, as in enqueuePush. */
  timeoutMs: number;
  maxBatch?: number;
}

/**
 * Adds push jobs of concurrent requests in shared round trips. Jobs requested in the same
 * event-loop turn go to Redis as one pipeline (`Queue.addBulk`, which BullMQ 5.81 sends as
 * a non-transactional pipeline of its add-job script), and each caller's promise resolves
 * only when Redis has stored that caller's job. One deadline covers a whole pipeline. When
 * the pipeline fails for another reason than an unavailable Redis, each of its jobs is
 * added again on its own, so one rejected job cannot fail the others. Re-adding is safe
 * because a job id that exists makes the add a no-op.
 */
export class PushEnqueuer {
  private pending: PendingJob[] = [];
  private flushScheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly queue: PushQueue,
    private readonly options: PushEnqueuerOptions,
  ) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  }

  /** Adds a push job and resolves once Redis stores it, like enqueuePush. */
  enqueue(data: PushJobData): Promise<Job<PushJobData>> {
    const jobId = pushJobId(data.idempotencyKey);
    const added = new Promise<Job<PushJobData>>((resolve, reject) => this.pending.push({ jobId, data, resolve, reject }));
    if (this.pending.length >= this.maxBatch) this.sendPending();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.sendPending();
      });
    }
    return added;
  }

  private sendPending(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) void this.addBatch(batch);
  }

  private async addBatch(batch: PendingJob[]): Promise<void> {
    const operation = batch.length === 1 ? 'adding the push job' : `adding ${batch.length} push jobs`;
    try {
      const entries = batch.map((job) => ({ name: pushJobName(job.data), data: job.data, opts: { jobId: job.jobId } }));
      const jobs = await withQueueTimeout(this.queue.addBulk(entries), this.options.timeoutMs, operation);
      batch.forEach((job, index) => job.resolve(jobs[index]!));
    } catch (error) {
      if (error instanceof QueueUnavailableError) {
        for (const job of batch) job.reject(error);
        return;
      }
      await Promise.all(
        batch.map((job) =>
          withQueueTimeout(this.queue.add(pushJobName(job.data), job.data, { jobId: job.jobId }), this.options.timeoutMs, 'adding the push job').then(job.resolve, job.reject),
        ),
      );
    }
  }
}
