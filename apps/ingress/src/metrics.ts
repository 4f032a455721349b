import type { IngressMetrics } from '@student-sync/observability';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

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
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.routeOptions.url === options.pushPath) {
      const respCode = typeof payload === 'string' ? (RESP_CODE.exec(payload)?.[1] ?? 'none') : 'none';
      options.metrics.requests.inc({ status_code: String(reply.statusCode), resp_code: respCode });
    }
    done(null, payload);
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });
}
