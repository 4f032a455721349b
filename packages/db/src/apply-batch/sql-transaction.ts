import type pg from 'pg';

/**
 * The part of a pooled `pg` connection the group statements use. The statements are named, so
 * PostgreSQL parses and plans each of them once per connection instead of once per group.
 */
export type SqlClient = Pick<pg.PoolClient, 'query'>;

export interface TransactionLimits {
  /** Maximum run time from BEGIN to COMMIT, lock waits included. */
  timeoutMs: number;
  /** Maximum wait for a pooled connection. */
  connectionWaitMs: number;
}

/** Raised when a group transaction runs past its time limit. Its connection is closed, so PostgreSQL rolls back what was not committed. */
export class TransactionTimeoutError extends Error {
  override readonly name = 'TransactionTimeoutError';
}

/**
 * Runs `work` in one transaction on a connection of `pool`, with the limits Prisma's interactive
 * transactions apply (`timeout`, `maxWait`). A transaction that runs too long loses its
 * connection, which makes PostgreSQL roll it back and stops a statement waiting on a lock.
 * Rejects when `work` rejects, after ROLLBACK.
 */
export async function runTransaction<T>(pool: pg.Pool, limits: TransactionLimits, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const client = await connectWithin(pool, limits.connectionWaitMs);
  // The pool listens for errors of idle connections only. A checked-out connection that breaks
  // (PostgreSQL restarted, link reset) emits 'error', which would end the process unheard. The
  // statement in flight rejects on its own, and the broken connection is closed on release.
  let connectionError: Error | undefined;
  const onConnectionError = (error: Error) => {
    connectionError ??= error;
  };
  client.on('error', onConnectionError);
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.off('error', onConnectionError);
    client.release(error);
  };
  const timeoutMessage = `group transaction timed out after ${limits.timeoutMs} ms and its connection was closed`;
  // NOTE: a timeout during COMMIT leaves open whether the group committed. Callers apply the
  // pushes again one by one, which the archive rows make idempotent.
  const timer = setTimeout(() => release(new TransactionTimeoutError(timeoutMessage)), limits.timeoutMs);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (released) throw new TransactionTimeoutError(timeoutMessage, { cause: error });
    if (connectionError) {
      // PostgreSQL rolls back the transaction of a lost connection by itself.
      release(connectionError);
      throw error;
    }
    // A connection whose ROLLBACK fails is closed, which rolls the transaction back as well.
    await client.query('ROLLBACK').catch((rollbackError: Error) => release(rollbackError));
    throw error;
  } finally {
    clearTimeout(timer);
    release(connectionError);
  }
}

/** Checks out a connection or rejects after `waitMs`. A connection that arrives later goes back to the pool. */
async function connectWithin(pool: pg.Pool, waitMs: number): Promise<pg.PoolClient> {
  const connecting = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${waitMs} ms waiting for a free database connection`)), waitMs);
  });
  try {
    return await Promise.race([connecting, expired]);
  } catch (error) {
    connecting.then((client) => client.release(), () => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
