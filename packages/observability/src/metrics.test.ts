import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Job, Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { createMetricsRegistry, serveMetrics } from './metrics-registry.ts';
import { parsePrometheusText, sampleValue } from './metrics-text.ts';
import { registerQueueDepth } from './metrics-queue.ts';
import { attachWorkerMetrics, errorCodeOf } from './metrics-worker.ts';

function fakeJob(fields: Partial<Job>): Job {
  return { attemptsMade: 1, opts: { attempts: 3 }, timestamp: 1_000, processedOn: 1_000, finishedOn: 1_250, ...fields } as Job;
}

async function workerSamples(events: (worker: EventEmitter) => void) {
  const registry = createMetricsRegistry('worker');
  const worker = new EventEmitter();
  attachWorkerMetrics(worker as unknown as Worker, registry);
  events(worker);
  return parsePrometheusText(await registry.metrics());
}

describe('attachWorkerMetrics', () => {
  it('counts completed jobs and changes', async () => {
    const samples = await workerSamples((worker) => {
      const changes = [
        { changeType: 'KZ_BJ_ID', outcome: 'APPLIED', count: 2 },
        { changeType: 'KZ_ZT', outcome: 'SUPERSEDED', count: 1 },
      ];
      worker.emit('completed', fakeJob({}), { status: 'applied', changes });
    });
    expect(sampleValue(samples, 'student_sync_jobs_completed_total', { status: 'applied' })).toBe(1);
    expect(sampleValue(samples, 'student_sync_changes_total', { change_type: 'KZ_BJ_ID', outcome: 'APPLIED' })).toBe(2);
    expect(sampleValue(samples, 'student_sync_changes_total', { change_type: 'KZ_ZT', outcome: 'SUPERSEDED' })).toBe(1);
    expect(sampleValue(samples, 'student_sync_job_duration_seconds_sum', { result: 'completed' })).toBeCloseTo(0.25);
  });

  it('tells retried from final failures', async () => {
    const samples = await workerSamples((worker) => {
      worker.emit('failed', fakeJob({ attemptsMade: 1 }), Object.assign(new Error('student not found'), { code: 'STUDENT_NOT_FOUND' }));
      const unrecoverable = Object.assign(new Error('INVALID_PUSH: cz_lx must be ADD or UPDATE'), { name: 'UnrecoverableError' });
      worker.emit('failed', fakeJob({ attemptsMade: 1 }), unrecoverable);
      worker.emit('failed', fakeJob({ attemptsMade: 3 }), Object.assign(new Error('deadlock'), { code: 'DATABASE_ERROR' }));
    });
    expect(sampleValue(samples, 'student_sync_job_failures_total', { error_code: 'STUDENT_NOT_FOUND', final: 'false' })).toBe(1);
    expect(sampleValue(samples, 'student_sync_dead_letters_total', { error_code: 'INVALID_PUSH' })).toBe(1);
    expect(sampleValue(samples, 'student_sync_dead_letters_total', { error_code: 'DATABASE_ERROR' })).toBe(1);
    expect(sampleValue(samples, 'student_sync_dead_letters_total')).toBe(2);
  });
});

describe('errorCodeOf', () => {
  it.each([
    ['code property', Object.assign(new Error('x'), { code: 'DATABASE_ERROR' }), 'DATABASE_ERROR'],
    ['message prefix', new Error('INVALID_JOB_DATA: push job data is invalid'), 'INVALID_JOB_DATA'],
    ['stalled job', new Error('job stalled more than allowable limit'), 'JOB_STALLED'],
    ['free text', new Error('connection reset by peer'), 'UNKNOWN'],
    ['driver code', Object.assign(new Error('x'), { code: '40P01' }), 'UNKNOWN'],
  ])('reads %s', (_case, error, code) => {
    expect(errorCodeOf(error)).toBe(code);
  });
});

describe('serveMetrics', () => {
  it('serves /metrics and nothing else', async () => {
    const registry = createMetricsRegistry('worker');
    const server = await serveMetrics(registry, { host: '127.0.0.1', port: 0, log: createLogger({ name: 'test', level: 'silent' }) });
    try {
      const { port } = server.address() as AddressInfo;
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(sampleValue(parsePrometheusText(await metrics.text()), 'process_cpu_user_seconds_total', { process: 'worker' })).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});

describe('parsePrometheusText', () => {
  it('reads labels with escaped quotes', () => {
    const samples = parsePrometheusText('# HELP x y\nx_total{a="1",b="say \\"hi\\""} 3\ny 4.5\n');
    expect(samples).toEqual([
      { name: 'x_total', labels: { a: '1', b: 'say "hi"' }, value: 3 },
      { name: 'y', labels: {}, value: 4.5 },
    ]);
  });

  it('rejects a malformed line', () => {
    expect(() => parsePrometheusText('x{a="1" 3')).toThrow(/not a Prometheus sample line/);
  });
});

describe('registerQueueDepth', () => {
  /** Builds a queue whose counts come from `counts`, which may throw as an unreachable Redis does. */
  function fakeQueue(name: string, counts: () => Record<string, number>): Queue {
    return { name, getJobCounts: async () => counts() } as unknown as Queue;
  }

  it('counts jobs and reports the store up', async () => {
    const registry = createMetricsRegistry('admin');
    registerQueueDepth(registry, [fakeQueue('student-changes', () => ({ waiting: 7, failed: 2 }))]);
    const samples = parsePrometheusText(await registry.metrics());
    expect(sampleValue(samples, 'student_sync_queue_jobs', { queue: 'student-changes', state: 'waiting' })).toBe(7);
    expect(sampleValue(samples, 'student_sync_queue_jobs', { queue: 'student-changes', state: 'failed' })).toBe(2);
    expect(sampleValue(samples, 'student_sync_queue_store_up')).toBe(1);
  });

  it('serves the other metrics while Redis is down', async () => {
    const registry = createMetricsRegistry('admin');
    let down = false;
    registerQueueDepth(registry, [fakeQueue('student-changes', () => {
      if (down) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
      return { waiting: 7 };
    })]);
    await registry.metrics();
    down = true;
    await new Promise((resolve) => setImmediate(resolve));

    const samples = parsePrometheusText(await registry.metrics());
    expect(sampleValue(samples, 'student_sync_queue_store_up')).toBe(0);
    expect(samples.filter((sample) => sample.name === 'student_sync_queue_jobs')).toEqual([]);
    expect(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
  });
});
