import { Counter, Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics-registry.ts';

/** Seconds; Redis stores a job in about a millisecond, and the ingress gives up after REDIS_TIMEOUT_MS. */
const ENQUEUE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Metrics the ingress records per push request. Labels carry codes only, never request data. */
export interface IngressMetrics {
  /** Push requests by HTTP status and resp_code (`none` when the response had no envelope). */
  requests: Counter<'status_code' | 'resp_code'>;
  /** Time Redis took to store an accepted push, timeouts included. */
  enqueueSeconds: Histogram<'result'>;
}

export function createIngressMetrics(registry: Registry): IngressMetrics {
  return {
    requests: new Counter({
      name: `${METRIC_PREFIX}ingress_requests_total`,
      help: 'Responses to push requests, by HTTP status code and resp_code.',
      labelNames: ['status_code', 'resp_code'],
      registers: [registry],
    }),
    enqueueSeconds: new Histogram({
      name: `${METRIC_PREFIX}ingress_enqueue_duration_seconds`,
      help: 'Time to add an accepted push to the queue, by result (ok or error).',
      labelNames: ['result'],
      buckets: ENQUEUE_BUCKETS,
      registers: [registry],
    }),
  };
}

/** Runs `work` and records its duration in `histogram`, labelled ok or error. */
export async function timeEnqueue<T>(histogram: Histogram<'result'>, work: () => Promise<T>): Promise<T> {
  const stop = histogram.startTimer();
  try {
    const value = await work();
    stop({ result: 'ok' });
    return value;
  } catch (error) {
    stop({ result: 'error' });
    throw error;
  }
}
