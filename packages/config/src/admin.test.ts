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
});
