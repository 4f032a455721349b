import { setTimeout as sleep } from 'node:timers/promises';
import type { PushTarget } from '@student-sync/cli';
import { backoffMs, shouldResend } from '../../../apps/cli/src/push/send-all.ts';
import { sendPush } from '../../../apps/cli/src/push/send-push.ts';

export interface StreamSendOptions {
  target: PushTarget;
  concurrency: number;
  /** Upper bound of attempts per push; high, because a fault can keep the ingress away for seconds. */
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  /** Called after each push is settled, with how many are settled so far. */
  onSettled?: (settled: number) => void | Promise<void>;
}

/** Every attempt of one push: the resp_code of each response, or `network` for a failed request. */
export interface PushAttempts {
  codes: string[];
  /** True when the last attempt was a 0000 whose response signature verified. */
  acknowledged: boolean;
}

export interface StreamResult {
  pushes: PushAttempts[];
  /** Attempts by outcome over the whole stream, e.g. { '0000': 1200, '3002': 14, network: 3 }. */
  codeCounts: Record<string, number>;
}

/**
 * Sends every body as the fee platform would: a push that gets a code the contract marks
 * for resending (or no response at all) is resent, re-signed, after a backoff. Unlike
 * `sendAll` it records each attempt, so a test can count what a fault caused.
 */
export async function sendStream(bodies: readonly Buffer[], options: StreamSendOptions): Promise<StreamResult> {
  const pushes: PushAttempts[] = new Array(bodies.length);
  let next = 0;
  let settled = 0;

  const runLane = async () => {
    while (next < bodies.length) {
      const index = next++;
      pushes[index] = await sendOne(bodies[index]!, options);
      settled += 1;
      await options.onSettled?.(settled);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, bodies.length) }, runLane));
  return { pushes, codeCounts: countCodes(pushes) };
}

async function sendOne(body: Buffer, options: StreamSendOptions): Promise<PushAttempts> {
  const codes: string[] = [];
  for (;;) {
    const result = await sendPush(options.target, body, options.timeoutMs);
    codes.push(result.kind === 'failed' ? 'network' : result.respCode);
    if (result.kind === 'response' && result.respCode === '0000') return { codes, acknowledged: result.signatureValid };
    if (!shouldResend(result) || codes.length >= options.maxAttempts) return { codes, acknowledged: false };
    await sleep(backoffMs(codes.length, options.baseBackoffMs, options.maxBackoffMs));
  }
}

function countCodes(pushes: readonly PushAttempts[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const push of pushes) for (const code of push.codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}
