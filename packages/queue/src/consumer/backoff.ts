import type { BackoffOptions } from 'bullmq';

/**
 * Backoff type of push jobs. BullMQ calls a Worker's `settings.backoffStrategy` only for
 * types it has no built-in strategy for, so producers must add jobs with this type
 * (see `pushRetryOptions`) for the worker's strategy to apply.
 */
export const PUSH_BACKOFF_TYPE = 'push-exponential-jitter';

export interface BackoffSettings {
  /** Delay of the first retry; retry n waits about baseMs * 2^(n-1). */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Source of random numbers in [0, 1), Math.random when omitted; tests pass a fixed one. */
  random?: () => number;
}

/**
 * Creates an exponential backoff with "equal jitter": retry n waits between half and all
 * of min(maxMs, baseMs * 2^(n-1)), so retries of a burst that failed together spread out
 * while the delay still grows.
 */
export function createPushBackoffStrategy(settings: BackoffSettings): (attemptsMade: number) => number {
  const random = settings.random ?? Math.random;
  return (attemptsMade) => {
    const exponent = Math.max(0, attemptsMade - 1);
    const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.min(exponent, 52));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };
}

/** Job options that producers give push jobs so the worker's backoff strategy is used. */
export function pushRetryOptions(attempts: number, baseMs: number): { attempts: number; backoff: BackoffOptions } {
  return { attempts, backoff: { type: PUSH_BACKOFF_TYPE, delay: baseMs } };
}
