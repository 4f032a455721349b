import { describe, expect, it } from 'vitest';
import { ConfigError, parseAdminEnv } from './index.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseAdminEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.variable);
    throw error;
  }
  return [];
}

describe('parseAdminEnv', () => {
  it('reports schema and credential problems together', () => {
    const variables = problemsOf({ ADMIN_PORT: '99999', ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'short' });
    expect(variables).toContain('ADMIN_PORT');
    expect(variables).toContain('ADMIN_PASSWORD');
  });

  it('names each variable once', () => {
    const variables = problemsOf({ ADMIN_PASSWORD: 'short' });
    expect(variables.filter((name) => name === 'ADMIN_USERNAME')).toHaveLength(1);
    expect(variables).toContain('ADMIN_PASSWORD');
  });

  it.each(['127.0.0.1', '10.0.0.0/8, ::1', 'loopback,fd00::/8'])('takes trusted proxies %j', (value) => {
    expect(problemsOf({ ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'operator-password-1', ADMIN_TRUSTED_PROXIES: value })).toEqual([]);
  });

  it('names the entries that are not addresses or ranges', () => {
    const credentials = { ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: 'operator-password-1' };
    expect(() => parseAdminEnv({ ...credentials, ADMIN_TRUSTED_PROXIES: '127.0.0.1,proxy.local,10.0.0.0/33' })).toThrow(
      'ADMIN_TRUSTED_PROXIES: "proxy.local", "10.0.0.0/33" 不是 IP 地址或网段 (not an IP address or CIDR range)',
    );
  });
});
