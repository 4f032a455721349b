import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { compareStudents, formatDifferences, simulate, type Simulation, StudentReader } from '@student-sync/cli';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { DEAD_LETTER_QUEUE, PUSH_QUEUE } from '@student-sync/queue';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { APP_KEY, type FaultStack } from './stack.ts';
import type { StreamResult } from './stream-sender.ts';

const POLL_MS = 500;

export interface SimulatedStream {
  simulation: Simulation;
  /** Bodies in delivery order, resends of the simulated platform included. */
  bodies: Buffer[];
}

/** Simulates a term-start stream of about 1.9 pushes per student, with resends and late deliveries. */
export function simulateStream(seed: string, studentCount: number): SimulatedStream {
  const simulation = simulate({ seed, studentCount, year: 2025, resendRatio: 0.02, delayRatio: 0.05, maxDisplacement: 100 });
  return { simulation, bodies: simulation.deliveries.map((body) => Buffer.from(body, 'utf8')) };
}

export async function archiveCounts(stack: FaultStack): Promise<Record<string, number>> {
  const rows = await stack.prisma.pushArchive.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

/**
 * Checks the invariant of every fault test: each push acknowledged with 0000 was archived once and
 * applied exactly once in effect, no push was dead-lettered, and every student ends as
 * applying the stream in change-time order gives.
 */
export async function expectStreamApplied(stack: FaultStack, stream: SimulatedStream, sent: StreamResult, drainTimeoutMs: number): Promise<void> {
  const unacknowledged = sent.pushes.flatMap((push, index) => (push.acknowledged ? [] : [{ index, codes: push.codes }]));
  expect(unacknowledged.slice(0, 5), `attempts by code ${JSON.stringify(sent.codeCounts)}`).toEqual([]);

  await waitForDrain(stack, stream.simulation.pushCount, drainTimeoutMs);

  const acknowledgedKeys = new Set(stream.bodies.map((body) => `${APP_KEY}:${sha256(body)}`));
  const archived = await stack.prisma.pushArchive.findMany({ select: { idempotencyKey: true } });
  expect(archived).toHaveLength(acknowledgedKeys.size);
  expect(new Set(archived.map((row) => row.idempotencyKey))).toEqual(acknowledgedKeys);

  expect(await stack.prisma.studentChange.count(), 'one history row per change detail of each distinct push').toBe(detailCount(stream.bodies));
  expect(await queueBacklog(stack)).toEqual({ pending: 0, dead: 0 });

  const reader = new StudentReader(stack.prisma, Keyring.parse(stack.keys.PII_ENCRYPTION_KEYS), KeyedHasher.parse(stack.keys.PII_HASH_KEY));
  const stored = await reader.readAll();
  const differences = [...stored.integrityProblems, ...compareStudents(stream.simulation.expected, stored.students, { allowExtra: false })];
  expect(differences.length, formatDifferences(differences, 20)).toBe(0);
  expect(stored.students).toHaveLength(stream.simulation.expected.length);
}

/** Prints one line per fault test with what the run met, so a CI log shows how hard the fault hit. */
export function reportRun(test: string, stream: SimulatedStream, sent: StreamResult, extra: Record<string, number> = {}): void {
  const summary = { deliveries: stream.bodies.length, distinctPushes: stream.simulation.pushCount, attemptsByCode: sent.codeCounts, ...extra };
  console.info(`[${test}] ${JSON.stringify(summary)}`);
}

/** Waits until `pushCount` pushes are archived as APPLIED; fails at once when one is DEAD. */
export async function waitForDrain(stack: FaultStack, pushCount: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    counts = await archiveCounts(stack);
    if ((counts.DEAD ?? 0) > 0) throw new Error(`pushes were dead-lettered: ${await deadReasons(stack)}\n${stack.output()}`);
    if ((counts.APPLIED ?? 0) === pushCount) return;
    await sleep(POLL_MS);
  }
  throw new Error(`queue did not drain within ${timeoutMs} ms: archive ${JSON.stringify(counts)}, expected ${pushCount} APPLIED\n${stack.output()}`);
}

/** Waits until at least `count` pushes are archived as APPLIED, so a fault can hit the workers mid-stream. */
export async function waitForApplied(stack: FaultStack, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (((await archiveCounts(stack)).APPLIED ?? 0) >= count) return;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} pushes were applied within ${timeoutMs} ms\n${stack.output()}`);
}

async function deadReasons(stack: FaultStack): Promise<string> {
  const rows = await stack.prisma.pushArchive.findMany({ where: { status: 'DEAD' }, take: 5, select: { studentNo: true, lastErrorCode: true, lastErrorMessage: true } });
  return JSON.stringify(rows);
}

async function queueBacklog(stack: FaultStack): Promise<{ pending: number; dead: number }> {
  const connection = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
  const prefix = stack.env.QUEUE_PREFIX!;
  const main = new Queue(PUSH_QUEUE, { connection, prefix });
  const deadLetters = new Queue(DEAD_LETTER_QUEUE, { connection, prefix });
  try {
    const pending = await main.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const dead = await deadLetters.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    return { pending: sum(pending), dead: sum(dead) };
  } finally {
    await main.close();
    await deadLetters.close();
    connection.disconnect();
  }
}

function detailCount(bodies: readonly Buffer[]): number {
  const distinct = new Map(bodies.map((body) => [sha256(body), body]));
  let count = 0;
  for (const body of distinct.values()) count += ((JSON.parse(body.toString('utf8')) as { bg_mx_list?: unknown[] }).bg_mx_list ?? []).length;
  return count;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}
