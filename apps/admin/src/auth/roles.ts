import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminHttpError } from '../http-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

/** Route hook that lets only the operator role through. */
export async function requireOperator(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (request.adminRole !== 'operator') {
    throw new AdminHttpError(403, '只读账号不能执行此操作, 请用操作员账号 (ADMIN_USERNAME) 登录 (the read-only role cannot do this, sign in as the operator)');
  }
}

/** Hook that limits users without the operator role to reads (GET, HEAD, OPTIONS). */
export async function readOnlyUnlessOperator(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!isSafeMethod(request.method)) await requireOperator(request, reply);
}

/**
 * Rejects state-changing requests that a browser sends on behalf of another site. Basic
 * credentials are sent by the browser automatically, so without this a page elsewhere could
 * submit a form to the console.
 */
export async function rejectCrossSiteWrites(request: FastifyRequest): Promise<void> {
  if (isSafeMethod(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw crossSite();
  const origin = request.headers.origin;
  if (origin !== undefined && hostOf(origin) !== request.headers.host) throw crossSite();
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function crossSite(): AdminHttpError {
  return new AdminHttpError(403, '拒绝来自其他站点的修改请求 (cross-site request rejected)');
}
