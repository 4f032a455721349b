/** Raised when Redis did not complete an operation in time or refused it while disconnected. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** ioredis errors that mean Redis is unreachable or cannot take writes (OOM under noeviction). */
const UNAVAILABLE_PATTERN = /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|OOM command not allowed|LOADING|READONLY/;

/** Tells whether an ioredis error means Redis is unreachable or cannot take writes. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || UNAVAILABLE_PATTERN.test(error.message);
}

/**
 * Settles with `work`, or rejects with QueueUnavailableError after `timeoutMs`. The work
 * itself is not cancelled, so a job added late still exists and its resend is deduplicated.
 * Errors that mean Redis is unavailable become QueueUnavailableError, and any other error is
 * rethrown unchanged.
 */
export async function withQueueTimeout<T>(work: Promise<T>, timeoutMs: number, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`${operation} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof QueueUnavailableError || !isRedisUnavailable(error)) throw error;
    throw new QueueUnavailableError(`${operation} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
