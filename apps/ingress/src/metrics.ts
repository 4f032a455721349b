import type { IngressMetrics } from '@student-sync/observability';
import type { FastifyInstance } from 'fastify';
import type { Counter, Registry } from 'prom-client';

export interface IngressMetricsOptions {
  registry: Registry;
  metrics: IngressMetrics;
  /** Path of the push endpoint, whose responses are counted. */
  pushPath: string;
}

const RESP_CODE = /"resp_code":"(\d{4})"/;

/**
 * Counts responses of the push endpoint by HTTP status and resp_code, and serves the
 * registry at `GET /metrics`. The labels carry codes only, never app-keys or body fields.
 */
export async function registerIngressMetrics(app: FastifyInstance, options: IngressMetricsOptions): Promise<void> {
  // One labelled child per status and code pair, so counting skips prom-client's label hashing.
  const counters = new Map<string, Counter.Internal>();
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.routeOptions.url === options.pushPath) {
      const respCode = typeof payload === 'string' ? (RESP_CODE.exec(payload)?.[1] ?? 'none') : 'none';
      const key = `${reply.statusCode} ${respCode}`;
      let counter = counters.get(key);
      if (!counter) {
        counter = options.metrics.requests.labels({ status_code: String(reply.statusCode), resp_code: respCode });
        counters.set(key, counter);
      }
      counter.inc();
    }
    done(null, payload);
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });
}
