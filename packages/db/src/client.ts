import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { createPgPool, type PgPoolOptions } from './pg-pool.ts';

export type PrismaClientOptions = PgPoolOptions;

/** The `pg` pool under each client that createPrismaClient made. */
const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * Creates the Prisma client over a `pg` pool (driver adapter, no native query engine).
 * Connections open on first use. Call `$disconnect()` at shutdown to end the pool.
 */
export function createPrismaClient(options: PrismaClientOptions): PrismaClient {
  // The pool's own error listener (createPgPool) also covers connections that poolOf users
  // open before Prisma's first query. The adapter ends an existing pool on $disconnect only
  // with disposeExternalPool (@prisma/adapter-pg 7.10, PrismaPgOptions in its index.d.ts).
  const pool = createPgPool(options);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(prisma, pool);
  return prisma;
}

/**
 * Returns the `pg` pool under a client from createPrismaClient, for statements that cost
 * less CPU without Prisma's query engine. They share the client's connection limit.
 */
export function poolOf(prisma: PrismaClient): pg.Pool {
  const pool = pools.get(prisma);
  if (!pool) throw new Error('this PrismaClient was not made by createPrismaClient, so its pg pool is unknown');
  return pool;
}
