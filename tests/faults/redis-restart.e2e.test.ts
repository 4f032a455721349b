import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultStack } from './support/stack.ts';
import { sendStream } from './support/stream-sender.ts';
import { expectStreamApplied, reportRun, simulateStream } from './support/verify.ts';

const STUDENTS = 600;
/** How long Redis stays down each time; the sender keeps pushing meanwhile. */
const DOWN_MS = 3_000;
/** Fractions of the stream after which Redis is stopped: first as a crash, then as a clean stop. */
const OUTAGES: Array<{ after: number; signal: NodeJS.Signals }> = [
  { after: 0.3, signal: 'SIGKILL' },
  { after: 0.65, signal: 'SIGTERM' },
];
/** Jobs active when Redis died are recovered by a stall check once their 30 s lock expires. */
const DRAIN_TIMEOUT_MS = 150_000;

describe('Redis restarted with AOF mid-stream', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('loses no acknowledged push and applies each once', { timeout: 300_000 }, async () => {
    const stream = simulateStream('fault-redis-restart', STUDENTS);
    const outages: Array<Promise<void>> = [];
    const thresholds = OUTAGES.map(({ after, signal }) => ({ at: Math.floor(stream.bodies.length * after), signal }));

    const sent = await sendStream(stream.bodies, {
      target: stack.target,
      concurrency: 8,
      maxAttempts: 60,
      baseBackoffMs: 100,
      maxBackoffMs: 1_000,
      timeoutMs: 10_000,
      onSettled: (settled) => {
        const outage = thresholds.find((threshold) => threshold.at === settled);
        if (outage) outages.push(restartRedis(outage.signal));
      },
    });
    await Promise.all(outages);

    expect(outages).toHaveLength(OUTAGES.length);
    expect(sent.codeCounts['3002'] ?? 0, 'pushes sent while Redis was down were answered 3002').toBeGreaterThan(0);
    expect(stack.ingress.running && stack.workers.every((worker) => worker.running), 'services survive the outages').toBe(true);
    reportRun('redis-restart', stream, sent, { outages: outages.length });
    await expectStreamApplied(stack, stream, sent, DRAIN_TIMEOUT_MS);
  });

  async function restartRedis(signal: NodeJS.Signals): Promise<void> {
    await stack.redis.kill(signal);
    await sleep(DOWN_MS);
    await stack.redis.restart();
  }
});
