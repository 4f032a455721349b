import type { FastifyInstance } from 'fastify';
import type { CheckResult, ReadinessChecker } from '../health/readiness.ts';

/**
 * Registers `/healthz`, ok while the process runs, and `/readyz`, ok when every readiness
 * check passes. Both respond without credentials, so the response names only the state of
 * each check. The details, which may name hosts, go to the log.
 */
export async function healthRoutes(app: FastifyInstance, options: { readiness: ReadinessChecker }): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const report = await options.readiness.check();
    const states = Object.fromEntries(Object.entries(report.checks).map(([name, check]) => [name, stateOf(check)]));
    if (report.ready) return { status: 'ok', checks: states };
    request.log.warn({ checks: report.checks }, 'readiness check failed');
    return reply.code(503).send({ status: 'unavailable', checks: states });
  });
}

function stateOf(check: CheckResult): 'ok' | 'warn' | 'failed' {
  if (!check.ok) return 'failed';
  return check.detail === undefined ? 'ok' : 'warn';
}
