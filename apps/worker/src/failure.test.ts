import { ApplyError } from '@student-sync/domain';
import { TransactionTimeoutError } from '@student-sync/db/apply-batch';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './failure.ts';

/** Builds an error the way Node.js and pg shape them: a message and, optionally, a `code`. */
function errorWith(message: string, code?: string, name = 'Error'): Error {
  const error = Object.assign(new Error(message), code === undefined ? {} : { code });
  Object.defineProperty(error, 'name', { value: name });
  return error;
}

describe('describeFailure', () => {
  it.each([
    ['a lost pg connection', errorWith('Connection terminated unexpectedly')],
    ['a pool connect timeout', errorWith('timeout exceeded when trying to connect')],
    ['a refused connection', errorWith('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', errorWith('read ECONNRESET', 'ECONNRESET')],
    ['a deadlock', errorWith('deadlock detected', '40P01')],
    ['a Prisma transaction timeout', errorWith('Transaction already closed', 'P2028')],
    ['a driver adapter error', errorWith('connection failed', undefined, 'DriverAdapterError')],
    ['a group transaction timeout', new TransactionTimeoutError('group transaction timed out after 30000 ms')],
    ['a wait for a free connection', new Error('timed out after 5000 ms waiting for a free database connection')],
    ['an error caused by a lost connection', new Error('group failed', { cause: errorWith('Connection terminated unexpectedly') })],
  ])('classifies %s as a retryable DATABASE_ERROR', (_case, error) => {
    expect(describeFailure(error)).toMatchObject({ code: 'DATABASE_ERROR', retryable: true });
  });

  it('keeps rule and unknown errors apart', () => {
    expect(describeFailure(new ApplyError('STUDENT_NOT_FOUND', 'no student 2024001')).code).toBe('STUDENT_NOT_FOUND');
    expect(describeFailure(new TypeError('x is not a function'))).toMatchObject({ code: 'UNEXPECTED_ERROR', retryable: true });
  });

  it('cuts long driver messages', () => {
    expect(describeFailure(errorWith('x'.repeat(2_000), '57P01')).message).toHaveLength(500);
  });
});
