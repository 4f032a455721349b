import { SealError } from '@student-sync/privacy';
import { APPLY_ERRORS, ApplyError, type ApplyErrorCode } from '@student-sync/domain';
import { InvalidJobDataError } from '@student-sync/queue/consumer';

/** Cause of a failed attempt, in the form the archive and the dead-letter queue store. */
export interface AttemptFailure {
  code: ApplyErrorCode;
  message: string;
  retryable: boolean;
}

/** Error messages are stored in PostgreSQL and Redis; long driver messages are cut to this many characters. */
const MAX_MESSAGE_CHARS = 500;

/** Classifies an error thrown while applying a push. Unknown errors are retried. */
export function describeFailure(error: unknown): AttemptFailure {
  if (error instanceof ApplyError) return failure(error.code, error.message);
  if (error instanceof InvalidJobDataError) return failure('INVALID_JOB_DATA', error.message);
  // A SealError names only the key id, never key material or plaintext.
  if (error instanceof SealError) return failure('BODY_UNREADABLE', error.message);
  if (isDatabaseError(error)) return failure('DATABASE_ERROR', (error as Error).message);
  return failure('UNEXPECTED_ERROR', error instanceof Error ? error.message : String(error));
}

function failure(code: ApplyErrorCode, message: string): AttemptFailure {
  return { code, message: message.slice(0, MAX_MESSAGE_CHARS), retryable: APPLY_ERRORS[code].retryable };
}

/** Socket error codes of Node.js that mean PostgreSQL could not be reached or the link broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Messages of the `pg` driver and pool (pg 8.23) for a lost or unobtainable connection, and of the group transaction's own limits. */
const CONNECTION_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|waiting for a free database connection/;

/**
 * Recognises errors of PostgreSQL and of the way to it. Prisma errors carry a P-code (P2028:
 * transaction timed out) and server errors a SQLSTATE (40P01: deadlock). The group commit runs
 * on `pg` directly, so lost connections and its TransactionTimeoutError count too, also when
 * they are the cause of another error.
 */
function isDatabaseError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (error.name.startsWith('PrismaClient') || error.name === 'DriverAdapterError' || error.name === 'TransactionTimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (/^(P\d{4}|[0-9A-Z]{5})$/.test(code) || NETWORK_CODES.has(code))) return true;
  if (CONNECTION_MESSAGE.test(error.message)) return true;
  return isDatabaseError(error.cause, depth + 1);
}
