import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

/**
 * Maximum wait for a new PostgreSQL connection. Without it a host that drops packets silently
 * would hold a request or a job until the operating system's TCP timeout (minutes).
 */
const CONNECT_TIMEOUT_MS = 10_000;

export interface PrismaClientOptions {
  /** postgresql:// URL of the database. */
  databaseUrl: string;
  /** Maximum open connections of this process's pool. */
  poolSize: number;
  /** Called when an idle pooled connection fails, e.g. because PostgreSQL restarted. The pool drops that connection. */
  onPoolError?: (err: Error) => void;
}

/**
 * Creates the Prisma client over a `pg` pool (driver adapter, no native query engine).
 * Connections open on first use. Call `$disconnect()` at shutdown to end the pool.
 */
export function createPrismaClient(options: PrismaClientOptions): PrismaClient {
  const adapter = new PrismaPg(
    // keepAlive lets the OS notice a dead link under an idle pooled connection.
    { connectionString: options.databaseUrl, max: options.poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true },
    options.onPoolError ? { onPoolError: options.onPoolError } : undefined,
  );
  return new PrismaClient({ adapter });
}
