import basicAuth from '@fastify/basic-auth';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminHttpError } from '../http-error.ts';
import type { AdminRole, CredentialChecker } from './credentials.ts';
import { LoginFailureLimiter } from './login-failures.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Role of the signed-in user; null on the public health paths. */
    adminRole: AdminRole | null;
    /** User name of the signed-in user, for the audit log; null on the public paths and in development mode. */
    adminUser: string | null;
  }
}

/** Paths served without credentials, for load balancers and orchestrators. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

export interface AuthenticationOptions {
  /** Configured users; null only in development mode without credentials. */
  checker: CredentialChecker | null;
  failuresPerMinute: number;
}

/**
 * Requires HTTP basic authentication on every path except PUBLIC_PATHS, static assets and
 * unknown paths included, and sets `request.adminRole`. Without a checker (development mode)
 * every request acts as operator.
 */
export async function registerAuthentication(app: FastifyInstance, options: AuthenticationOptions): Promise<void> {
  app.decorateRequest('adminRole', null);
  app.decorateRequest('adminUser', null);
  const checker = options.checker;
  if (checker === null) {
    app.addHook('onRequest', async (request) => {
      request.adminRole = 'operator';
    });
    return;
  }

  await app.register(rateLimit, { global: false });
  const failures = new LoginFailureLimiter(app, options.failuresPerMinute);
  await app.register(basicAuth, {
    authenticate: { realm: 'student-sync admin' },
    validate: async (username: string, password: string, request: FastifyRequest, reply: FastifyReply) => {
      const lockedSeconds = failures.lockedSeconds(request);
      if (lockedSeconds > 0) throw tooManyFailures(reply, lockedSeconds);

      const role = checker.roleOf(username, password);
      if (role !== null) {
        request.adminRole = role;
        request.adminUser = username;
        return;
      }
      const lockSeconds = await failures.recordFailure(request);
      request.log.warn({ clientAddress: request.ip, locked: lockSeconds > 0 }, 'admin login failed');
      if (lockSeconds > 0) throw tooManyFailures(reply, lockSeconds);
      throw new AdminHttpError(401, '用户名或密码错误 (wrong user name or password)');
    },
  });

  app.addHook('onRequest', (request, reply, done) => {
    if (PUBLIC_PATHS.has(pathOf(request))) return done();
    app.basicAuth(request, reply, done);
  });
}

function tooManyFailures(reply: FastifyReply, seconds: number): AdminHttpError {
  reply.header('retry-after', String(seconds));
  return new AdminHttpError(429, `登录失败次数过多，请 ${seconds} 秒后再试 (too many failed logins, retry in ${seconds} s)`);
}

export function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0]!;
}
