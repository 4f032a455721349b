import { RESPONSE_CODES } from '@student-sync/protocol';
import { setTimeout as sleep } from 'node:timers/promises';
import { RatePacer } from './rate-pacer.ts';
import { type AttemptResult, sendPush } from './send-push.ts';
import { type PushTarget } from './signed-request.ts';

export interface SendOptions {
  target: PushTarget;
  /** Pushes in flight at once. */
  concurrency: number;
  /** Attempts per push, the first one included. */
  maxAttempts: number;
  /** Upper bound on attempts started per second, resends included; unset means no bound. */
  ratePerSecond?: number;
  timeoutMs: number;
  /** First resend delay; each further resend doubles it, with jitter, up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Called once per push when it is settled (accepted, rejected or out of attempts). */
  onSettled?: (outcome: PushOutcome) => void;
  /** Called before every resend, with the result that caused it. */
  onResend?: (result: AttemptResult) => void;
}

export interface PushOutcome {
  /** Position of the push in the input. */
  index: number;
  attempts: number;
  result: AttemptResult;
}

/**
 * Sends pushes with bounded concurrency and an optional rate bound. A push is resent,
 * re-signed with a fresh timestamp, after a network failure, a 5xx without an envelope,
 * or a resp_code the protocol marks for resending (such as 3001, 3002 and 9999), up to
 * `maxAttempts`. Returns one outcome per push, in input order.
 */
export async function sendAll(bodies: readonly Buffer[], options: SendOptions): Promise<PushOutcome[]> {
  const outcomes: PushOutcome[] = new Array(bodies.length);
  const pacer = options.ratePerSecond ? new RatePacer(options.ratePerSecond) : undefined;
  let next = 0;

  const runLane = async () => {
    while (next < bodies.length) {
      const index = next++;
      const outcome = await sendWithResends(index, bodies[index]!, options, pacer);
      outcomes[index] = outcome;
      options.onSettled?.(outcome);
    }
  };

  const lanes = Math.max(1, Math.min(options.concurrency, bodies.length));
  await Promise.all(Array.from({ length: lanes }, runLane));
  return outcomes;
}

async function sendWithResends(index: number, body: Buffer, options: SendOptions, pacer: RatePacer | undefined): Promise<PushOutcome> {
  let attempts = 0;
  for (;;) {
    await pacer?.waitForSlot();
    attempts += 1;
    const result = await sendPush(options.target, body, options.timeoutMs);
    if (!shouldResend(result) || attempts >= options.maxAttempts) return { index, attempts, result };

    options.onResend?.(result);
    // A rate-limited response carries the seconds until the limit resets; resending sooner is rejected again.
    const retryAfterMs = result.kind === 'response' ? (result.retryAfterMs ?? 0) : 0;
    await sleep(Math.max(retryAfterMs, backoffMs(attempts, options.baseBackoffMs, options.maxBackoffMs)));
  }
}

/** Returns true when the same push may succeed if sent again later. */
export function shouldResend(result: AttemptResult): boolean {
  if (result.kind === 'failed') return result.permanent !== true;
  const entry = (RESPONSE_CODES as Record<string, { resend: boolean } | undefined>)[result.respCode];
  if (entry) return entry.resend;
  return result.httpStatus >= 500;
}

/** Exponential backoff with jitter: a random delay between half and all of base * 2^(attempt-1), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
