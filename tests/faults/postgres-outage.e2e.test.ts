import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultStack } from './support/stack.ts';
import { sendStream } from './support/stream-sender.ts';
import { expectStreamApplied, reportRun, simulateStream } from './support/verify.ts';

const STUDENTS = 600;
/** How long PostgreSQL stays unreachable; workers retry with backoff capped at 2 s for up to 60 attempts. */
const OUTAGE_MS = 20_000;
/** Fraction of the stream after which the proxy in front of PostgreSQL is cut. */
const CUT_AFTER = 0.3;
const DRAIN_TIMEOUT_MS = 120_000;

describe('PostgreSQL unreachable mid-stream', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ proxyDatabase: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loses no acknowledged push and applies each once', { timeout: 240_000 }, async () => {
    const stream = simulateStream('fault-postgres-outage', STUDENTS);
    const cutAt = Math.floor(stream.bodies.length * CUT_AFTER);
    const window = { settledAtCut: 0, settledAtRestore: 0, settled: 0 };
    let outage: Promise<void> | undefined;

    const sent = await sendStream(stream.bodies, {
      target: stack.target,
      concurrency: 4,
      maxAttempts: 60,
      baseBackoffMs: 100,
      maxBackoffMs: 1_000,
      timeoutMs: 10_000,
      onSettled: (settled) => {
        window.settled = settled;
        if (settled === cutAt) outage = cutDatabase(window);
      },
    });
    await outage;

    expect(window.settledAtRestore - window.settledAtCut, 'ingress kept answering while PostgreSQL was unreachable').toBeGreaterThan(0);
    const databaseErrors = stack.allLines().filter((line) => line.includes('DATABASE_ERROR')).length;
    expect(databaseErrors, 'workers met the outage and retried').toBeGreaterThan(0);
    expect(stack.workers.every((worker) => worker.running)).toBe(true);
    reportRun('postgres-outage', stream, sent, { ackedDuringOutage: window.settledAtRestore - window.settledAtCut, databaseErrors });
    await expectStreamApplied(stack, stream, sent, DRAIN_TIMEOUT_MS);
  });

  async function cutDatabase(window: { settledAtCut: number; settledAtRestore: number; settled: number }): Promise<void> {
    await stack.proxy!.cut();
    window.settledAtCut = window.settled;
    await sleep(OUTAGE_MS);
    window.settledAtRestore = window.settled;
    await stack.proxy!.restore();
  }
});
