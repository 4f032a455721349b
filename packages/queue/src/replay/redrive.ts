import type { Keyring } from '@student-sync/privacy';
import { pushJobName } from '../names.ts';
import type { PushJobData } from '../payload.ts';
import type { PushQueue } from '../push-queue.ts';
import { redriveJobId } from './job-ids.ts';

/** An archived push as push_archive stores it. */
export interface ArchivedPushRecord {
  idempotencyKey: string;
  appKey: string;
  requestId: string | null;
  receivedAt: Date;
  batchNo: string | null;
  studentNo: string;
  operation: string;
  /** bg_sj as an instant. */
  changedAt: Date;
  bodySealed: string;
}

const CHANGE_TIME = /^\d{14}$/;
const GMT8_OFFSET_MS = 8 * 3_600_000;

/**
 * Builds the job data of an archived push. The sealed body is opened to read bg_sj as sent,
 * which also proves that the current keyring can open it. A body without a usable bg_sj
 * (a push that failed validation) gets the archived change time, so the job data stays valid
 * and the worker reports the body's problem again.
 */
export function pushJobDataFromArchive(record: ArchivedPushRecord, keyring: Keyring): PushJobData {
  return {
    version: 1,
    idempotencyKey: record.idempotencyKey,
    appKey: record.appKey,
    requestId: record.requestId ?? '',
    receivedAt: record.receivedAt.toISOString(),
    batchNo: record.batchNo,
    studentNo: record.studentNo,
    changeTime: changeTimeOf(keyring.open(record.bodySealed)) ?? formatGmt8(record.changedAt),
    operation: record.operation,
    bodySealed: record.bodySealed,
  };
}

function changeTimeOf(body: string): string | undefined {
  try {
    const value = (JSON.parse(body) as { bg_sj?: unknown }).bg_sj;
    return typeof value === 'string' && CHANGE_TIME.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Formats an instant as yyyyMMddHHmmss in GMT+8, the form of bg_sj. */
function formatGmt8(instant: Date): string {
  return new Date(instant.getTime() + GMT8_OFFSET_MS).toISOString().slice(0, 19).replace(/\D/g, '');
}

/**
 * Adds an archived push to the main queue under a job id of this re-drive run, so it runs
 * even while an earlier job of the same push is retained. A push already applied changes nothing.
 */
export async function redrivePush(queue: PushQueue, data: PushJobData, runId: string): Promise<string> {
  const jobId = redriveJobId(data.idempotencyKey, runId);
  await queue.add(pushJobName(data), data, { jobId });
  return jobId;
}
