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

/** Prisma errors carry a P-code (P2028: transaction timed out); driver errors a SQLSTATE (40P01: deadlock). */
function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name.startsWith('PrismaClient') || error.name === 'DriverAdapterError') return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(P\d{4}|[0-9A-Z]{5})$/.test(code);
}
