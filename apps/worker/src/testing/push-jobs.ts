import { createHash } from 'node:crypto';
import type { Keyring } from '@student-sync/privacy';
import { pushJobId, pushJobName, type PushJobData, type PushQueue } from '@student-sync/queue';
import { pushRetryOptions } from '@student-sync/queue/consumer';

export const TEST_APP_KEY = 'efutong';

/** Builds push job data for a raw body the way the ingress does, without checking the body. */
export function pushJobData(rawBody: string, keyring: Keyring): PushJobData {
  const body = JSON.parse(rawBody) as Record<string, unknown>;
  const digest = createHash('sha256').update(rawBody, 'utf8').digest('hex');
  return {
    version: 1,
    idempotencyKey: `${TEST_APP_KEY}:${digest}`,
    appKey: TEST_APP_KEY,
    requestId: `req-${digest.slice(0, 8)}`,
    receivedAt: new Date().toISOString(),
    batchNo: typeof body['bg_pch'] === 'string' ? body['bg_pch'] : null,
    studentNo: String(body['xh'] ?? ''),
    changeTime: String(body['bg_sj'] ?? ''),
    operation: String(body['cz_lx'] ?? ''),
    bodySealed: keyring.seal(rawBody),
  };
}

export interface AddPushOptions {
  attempts: number;
  backoffBaseMs: number;
  /** Appended to the job id, to deliver the same push again as a new job (as a replay does). */
  jobIdSuffix?: string;
}

/** Adds a push job with the worker's backoff type; returns its job id. */
export async function addPushJob(queue: PushQueue, rawBody: string, keyring: Keyring, options: AddPushOptions): Promise<string> {
  const data = pushJobData(rawBody, keyring);
  const jobId = pushJobId(data.idempotencyKey) + (options.jobIdSuffix ?? '');
  await queue.add(pushJobName(data), data, { jobId, ...pushRetryOptions(options.attempts, options.backoffBaseMs) });
  return jobId;
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
