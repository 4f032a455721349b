import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultStack } from './support/stack.ts';
import { sendStream } from './support/stream-sender.ts';
import { expectStreamApplied, reportRun, simulateStream } from './support/verify.ts';

const STUDENTS = 600;
const DRAIN_TIMEOUT_MS = 120_000;
/** Fractions of the stream after which the ingress is restarted; the signal alternates crash and clean stop. */
const RESTARTS: Array<{ after: number; signal: NodeJS.Signals }> = [
  { after: 0.25, signal: 'SIGKILL' },
  { after: 0.5, signal: 'SIGTERM' },
  { after: 0.75, signal: 'SIGKILL' },
];

describe('ingress restarted under load', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loses no acknowledged push and applies each once', { timeout: 240_000 }, async () => {
    const stream = simulateStream('fault-ingress-restart', STUDENTS);
    const restarts: Array<Promise<void>> = [];
    const thresholds = RESTARTS.map(({ after, signal }) => ({ at: Math.floor(stream.bodies.length * after), signal }));

    const sent = await sendStream(stream.bodies, {
      target: stack.target,
      concurrency: 8,
      maxAttempts: 60,
      baseBackoffMs: 100,
      maxBackoffMs: 1_000,
      timeoutMs: 10_000,
      onSettled: (settled) => {
        const restart = thresholds.find((threshold) => threshold.at === settled);
        if (restart) restarts.push(stack.restartIngress(restart.signal));
      },
    });
    await Promise.all(restarts);

    expect(restarts).toHaveLength(RESTARTS.length);
    expect(sent.codeCounts.network ?? 0, 'requests cut off by the restarts were resent').toBeGreaterThan(0);
    reportRun('ingress-restart', stream, sent, { restarts: restarts.length });
    await expectStreamApplied(stack, stream, sent, DRAIN_TIMEOUT_MS);
  });
});
