import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultStack } from './support/stack.ts';
import { sendStream } from './support/stream-sender.ts';
import { expectStreamApplied, reportRun, simulateStream, waitForApplied } from './support/verify.ts';

const STUDENTS = 600;
/** Fractions of the distinct pushes applied at which worker 0 is killed with SIGKILL and replaced. */
const KILL_POINTS = [0.2, 0.45, 0.7];
const KILL_WAIT_MS = 120_000;
/** Jobs a killed worker held are recovered by a stall check: BullMQ's lock (30 s) must expire first. */
const DRAIN_TIMEOUT_MS = 150_000;

describe('worker killed mid-stream', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 2 });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loses no acknowledged push and applies each once', { timeout: 330_000 }, async () => {
    const stream = simulateStream('fault-worker-kill', STUDENTS);
    const sending = sendStream(stream.bodies, { target: stack.target, concurrency: 8, maxAttempts: 20, baseBackoffMs: 100, maxBackoffMs: 1_000, timeoutMs: 10_000 });

    for (const point of KILL_POINTS) {
      await waitForApplied(stack, Math.floor(stream.simulation.pushCount * point), KILL_WAIT_MS);
      await stack.restartWorker(0, 'SIGKILL');
    }
    const sent = await sending;

    expect(stack.started.filter((service) => service.name.startsWith('worker'))).toHaveLength(2 + KILL_POINTS.length);
    await expectStreamApplied(stack, stream, sent, DRAIN_TIMEOUT_MS);

    const stalls = stack.allLines().filter((line) => line.includes('push job stalled')).length;
    reportRun('worker-kill', stream, sent, { kills: KILL_POINTS.length, stalls });
    expect(stalls, 'jobs held by the killed workers were recovered by a stall check').toBeGreaterThan(0);
  });
});
