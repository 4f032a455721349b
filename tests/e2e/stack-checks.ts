import type { PrismaClient } from '@student-sync/db';
import { DEAD_LETTER_QUEUE, PUSH_QUEUE } from '@student-sync/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { testRedisUrl } from '../support/index.ts';

/**
 * Waits until `pushCount` pushes are archived as APPLIED; fails as soon as one is DEAD.
 * `context` adds the services' output to the failure message.
 */
export async function waitForApplied(prisma: PrismaClient, pushCount: number, timeoutMs: number, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    counts = await archiveCounts(prisma);
    if ((counts['DEAD'] ?? 0) > 0) throw new Error(`pushes were dead-lettered: ${await deadReasons(prisma)}\n${context()}`);
    if ((counts['APPLIED'] ?? 0) === pushCount) return;
    await sleep(500);
  }
  throw new Error(`queue did not drain within ${timeoutMs} ms: archive ${JSON.stringify(counts)}, expected ${pushCount} APPLIED\n${context()}`);
}

async function archiveCounts(prisma: PrismaClient): Promise<Record<string, number>> {
  const rows = await prisma.pushArchive.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

async function deadReasons(prisma: PrismaClient): Promise<string> {
  const rows = await prisma.pushArchive.findMany({ where: { status: 'DEAD' }, take: 5, select: { studentNo: true, lastErrorCode: true, lastErrorMessage: true } });
  return JSON.stringify(rows);
}

/** Jobs still pending in the main queue and jobs of any state in the dead-letter queue. */
export async function queueCounts(prefix: string): Promise<{ pending: number; dead: number }> {
  const connection = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const main = new Queue(PUSH_QUEUE, { connection, prefix });
  const deadLetters = new Queue(DEAD_LETTER_QUEUE, { connection, prefix });
  try {
    const pending = await main.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const dead = await deadLetters.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);
    return { pending: sum(pending), dead: sum(dead) };
  } finally {
    await main.close();
    await deadLetters.close();
    connection.disconnect();
  }
}

/** True when `url` returns a 2xx status within a second. */
export async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}
