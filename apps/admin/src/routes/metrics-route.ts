import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** Registers `GET /metrics` in the Prometheus text format. */
export async function metricsRoute(app: FastifyInstance, options: { registry: Registry }): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    const text = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(text);
  });
}
