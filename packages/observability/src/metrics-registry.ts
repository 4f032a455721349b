import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from './logger.ts';

/** Prefix of every metric student-sync defines itself; Node's default metrics keep their standard names. */
export const METRIC_PREFIX = 'student_sync_';

/**
 * Creates the registry of one process with Node's default process metrics (CPU, memory,
 * event loop lag, GC). `processName` becomes the `process` label of every series.
 */
export function createMetricsRegistry(processName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  log: Logger;
}

/**
 * Serves `GET /metrics` from `registry` on its own HTTP listener, for processes that have no
 * HTTP server of their own (the worker). Resolves once it listens; `close()` stops it.
 */
export async function serveMetrics(registry: Registry, options: MetricsServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        options.log.error({ err }, 'collecting metrics failed');
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('collecting metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
