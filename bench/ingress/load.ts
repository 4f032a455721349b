import autocannon from 'autocannon';
import type { SignedPush } from '../support/payloads.ts';
import { type Series, startSampler } from '../support/series.ts';

export interface LoadOptions {
  url: string;
  connections: number;
  /** The run stops after this long even when pushes remain. */
  maxDurationMs: number;
}

/** Figures of one load run; latencies in milliseconds. */
export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationMs: number;
  /** Responses per second, sampled during the run. */
  series: Series;
}

/**
 * Sends each push once, in order, over `connections` keep-alive connections (autocannon 9),
 * and stops when all are sent or after `maxDurationMs`, whichever comes first.
 */
export async function runLoad(pushes: readonly SignedPush[], options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  let responses = 0;
  let settle: (outcome: { error: unknown; result: autocannon.Result }) => void = () => {};
  const finished = new Promise<{ error: unknown; result: autocannon.Result }>((resolve) => (settle = resolve));
  const instance = autocannon(
    {
      url: options.url,
      method: 'POST',
      // autocannon rejects more connections than requests.
      connections: Math.min(options.connections, pushes.length),
      amount: pushes.length,
      timeout: 10,
      requests: [
        {
          setupRequest: (request) => {
            const push = pushes[next % pushes.length]!;
            next += 1;
            return { ...request, body: push.body, headers: push.headers };
          },
        },
      ],
    },
    (error, result) => settle({ error, result }),
  );
  const started = performance.now();
  let lastResponseAt = started;
  instance.on('response', () => {
    responses += 1;
    lastResponseAt = performance.now();
  });
  const sampler = startSampler(() => responses);
  const stopTimer = setTimeout(() => instance.stop(), options.maxDurationMs);

  const { error, result } = await finished;
  if (error) throw error;
  clearTimeout(stopTimer);
  const series = sampler.stop();

  // autocannon's own start and finish times are rounded to its one-second ticks, so the
  // duration runs from the call to the last response instead.
  const durationMs = lastResponseAt - started;
  return {
    requests: responses,
    requestsPerSecond: responses / (durationMs / 1000),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationMs,
    series,
  };
}
