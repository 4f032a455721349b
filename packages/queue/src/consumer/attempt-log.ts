import type { Job, Queue } from 'bullmq';

/**
 * Failed attempts are written to the job's BullMQ log, one line each, because BullMQ keeps
 * no time per attempt. Bull Board shows these lines, and the dead-letter entry takes its
 * first failure time from the first one.
 */
const LINE_PATTERN = /^attempt \d+ failed at (\S+): /;

/** Appends "attempt <n> failed at <ISO time>: <code>" to the job's log. */
export async function logFailedAttempt(job: Job, attempt: number, errorCode: string, failedAt = new Date()): Promise<void> {
  await job.log(`attempt ${attempt} failed at ${failedAt.toISOString()}: ${errorCode}`);
}

/** Reads the time of the first failed attempt from the job's log, or returns undefined when none is logged. */
export async function firstFailureTime(queue: Queue, jobId: string): Promise<string | undefined> {
  const { logs } = await queue.getJobLogs(jobId, 0, 0);
  const match = logs[0] === undefined ? null : LINE_PATTERN.exec(logs[0]);
  return match?.[1];
}
