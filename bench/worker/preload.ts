import { Keyring } from '@student-sync/privacy';
import { parsePushBody } from '@student-sync/protocol';
import { buildPushJobData, createPushQueue, createRedisConnection, pushJobId, pushJobName, type PushQueue, waitForRedisReady } from '@student-sync/queue';
import type { BenchEnvironment } from '../support/environment.ts';

const BULK_SIZE = 1_000;

/**
 * Adds one push job per body, built as the ingress builds it (sealed body, idempotency
 * key as job id), so identical resends collapse into one job. Returns the number of jobs.
 */
export async function preloadPushJobs(environment: BenchEnvironment, bodies: readonly string[], appKey: string, jobPolicy: JobPolicy): Promise<number> {
  const keyring = Keyring.parse(environment.keys.PII_ENCRYPTION_KEYS);
  const redis = createRedisConnection(environment.redisUrl, { role: 'worker' });
  await waitForRedisReady(redis, 5_000);
  const queue = createPushQueue({ connection: redis, prefix: environment.queuePrefix, jobPolicy, onError: () => {} });
  const jobIds = new Set<string>();
  try {
    for (let start = 0; start < bodies.length; start += BULK_SIZE) {
      const jobs = bodies.slice(start, start + BULK_SIZE).map((text, index): BulkPushJob => {
        const rawBody = Buffer.from(text, 'utf8');
        const data = buildPushJobData({ appKey, requestId: `bench-${start + index}`, receivedAt: new Date(), rawBody, body: parsePushBody(rawBody) }, keyring);
        const jobId = pushJobId(data.idempotencyKey);
        jobIds.add(jobId);
        return { name: pushJobName(data), data, opts: { jobId } };
      });
      await queue.addBulk(jobs);
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
  return jobIds.size;
}

type BulkPushJob = Parameters<PushQueue['addBulk']>[0][number];

export interface JobPolicy {
  attempts: number;
  backoffBaseMs: number;
  retentionMs: number;
  retentionCount: number;
}
