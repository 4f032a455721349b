import { isIP } from 'node:net';
import { type Static, Type } from '@sinclair/typebox';
import { databaseFields, loggingFields, redisFields } from './common.ts';
import { type ConfigProblem, parseEnv } from './parse-env.ts';
import { IngressEnv } from './ingress.ts';
import { WorkerEnv } from './worker.ts';

// Readiness checks wait for Redis as long as the ingress waits on its request path.
const { REDIS_TIMEOUT_MS } = IngressEnv.properties;
// Replayed pushes are added to the main queue with the same retries and retention as the ingress gives new ones.
const { JOB_ATTEMPTS, JOB_BACKOFF_BASE_MS, COMPLETED_JOB_RETENTION_MS, COMPLETED_JOB_RETENTION_COUNT } = WorkerEnv.properties;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const MIN_PASSWORD_CHARS = 12;

const optionalText = (description: string) => Type.Optional(Type.String({ minLength: 1, description }));

/** Environment of the admin process (apps/admin): Bull Board, batch and student views, replay, metrics. */
export const AdminEnv = Type.Object({
  ...redisFields,
  ...databaseFields,
  ...loggingFields,
  REDIS_TIMEOUT_MS,
  JOB_ATTEMPTS,
  JOB_BACKOFF_BASE_MS,
  COMPLETED_JOB_RETENTION_MS,
  COMPLETED_JOB_RETENTION_COUNT,
  ADMIN_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: '监听的主机名或地址, 例如 127.0.0.1 (a host name or address to listen on, e.g. 127.0.0.1)' }),
  ADMIN_PORT: Type.Integer({ default: 8081, minimum: 0, maximum: 65_535, description: '0 到 65535 之间的 TCP 端口 (a TCP port between 0 and 65535)' }),
  /** Operator: may also pause, promote, clean finished jobs and replay dead letters. */
  ADMIN_USERNAME: optionalText('操作员角色的用户名 (a user name for the operator role)'),
  ADMIN_PASSWORD: optionalText(`至少 ${MIN_PASSWORD_CHARS} 个字符的密码, 例如 $(openssl rand -base64 18) (a password of at least ${MIN_PASSWORD_CHARS} characters)`),
  /** Read-only role: views every page and API the operator can and changes nothing. Leave both unset to have no such user. */
  ADMIN_READONLY_USERNAME: optionalText('只读角色的用户名 (a user name for the read-only role)'),
  ADMIN_READONLY_PASSWORD: optionalText(`至少 ${MIN_PASSWORD_CHARS} 个字符的密码 (a password of at least ${MIN_PASSWORD_CHARS} characters)`),
  /** Local development only: without credentials every request acts as operator. Allowed on a loopback ADMIN_HOST only. */
  ADMIN_DEV_MODE: Type.Boolean({ default: false, description: 'true 或 false (true or false)' }),
  /**
   * Reverse proxies in front of the admin console, whose X-Forwarded-For names the client. The
   * login lockout then counts each client address, not the proxy's. Unset, the header is ignored.
   */
  ADMIN_TRUSTED_PROXIES: optionalText('逗号分隔的代理地址或网段, 例如 127.0.0.1 或 10.0.0.0/8 (comma-separated proxy addresses or CIDR ranges)'),
  /** Failed logins one client address may make per minute before every login from it gets HTTP 429 for the rest of the minute. */
  ADMIN_LOGIN_FAILURES_PER_MINUTE: Type.Integer({ default: 10, minimum: 1, maximum: 1_000, description: '1 到 1000 之间的整数, 例如 10 (an integer between 1 and 1000)' }),
  /** Time open requests get to finish after SIGTERM or SIGINT before the process exits anyway. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 0, description: '非负的毫秒数, 例如 10000 (a non-negative number of milliseconds)' }),
});
export type AdminEnv = Static<typeof AdminEnv>;

export function parseAdminEnv(env: Record<string, string | undefined>): AdminEnv {
  return parseEnv('admin', AdminEnv, env, checkAdminEnv);
}

function checkAdminEnv(config: AdminEnv): ConfigProblem[] {
  const problems = [
    ...pairProblems('ADMIN_USERNAME', config.ADMIN_USERNAME, 'ADMIN_PASSWORD', config.ADMIN_PASSWORD),
    ...pairProblems('ADMIN_READONLY_USERNAME', config.ADMIN_READONLY_USERNAME, 'ADMIN_READONLY_PASSWORD', config.ADMIN_READONLY_PASSWORD),
    ...passwordProblems('ADMIN_PASSWORD', config.ADMIN_PASSWORD),
    ...passwordProblems('ADMIN_READONLY_PASSWORD', config.ADMIN_READONLY_PASSWORD),
  ];
  if (config.ADMIN_READONLY_USERNAME !== undefined && config.ADMIN_READONLY_USERNAME === config.ADMIN_USERNAME) {
    problems.push({ variable: 'ADMIN_READONLY_USERNAME', problem: '与 ADMIN_USERNAME 相同 (is the same as ADMIN_USERNAME)', fix: '换一个用户名 (set it to a different user name)' });
  }
  if (config.ADMIN_TRUSTED_PROXIES !== undefined) problems.push(...trustedProxyProblems(config.ADMIN_TRUSTED_PROXIES));
  if (config.ADMIN_DEV_MODE && !LOOPBACK_HOSTS.has(config.ADMIN_HOST)) {
    problems.push({
      variable: 'ADMIN_DEV_MODE',
      problem: `为 true, 而 ADMIN_HOST ${JSON.stringify(config.ADMIN_HOST)} 不是回环地址 (is true while ADMIN_HOST is not a loopback address)`,
      fix: '把 ADMIN_HOST 设为 127.0.0.1, 或设 ADMIN_DEV_MODE=false 并设置 ADMIN_USERNAME 和 ADMIN_PASSWORD (set ADMIN_HOST to 127.0.0.1, or ADMIN_DEV_MODE=false with credentials)',
    });
  }
  if (!config.ADMIN_DEV_MODE && config.ADMIN_USERNAME === undefined) {
    problems.push({
      variable: 'ADMIN_USERNAME',
      problem: '未设置, 管理后台没有登录凭据时拒绝启动 (is required but not set, and the admin console refuses to start without credentials)',
      fix: '设置 ADMIN_USERNAME 和 ADMIN_PASSWORD, 本机开发时也可设 ADMIN_DEV_MODE=true (set ADMIN_USERNAME and ADMIN_PASSWORD, or ADMIN_DEV_MODE=true for local development)',
    });
  }
  return problems;
}

/** Names of address ranges that Fastify's trustProxy takes besides addresses and CIDR ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Splits ADMIN_TRUSTED_PROXIES into its entries, as the admin app passes them to Fastify. */
export function trustedProxyList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function trustedProxyProblems(value: string): ConfigProblem[] {
  const invalid = trustedProxyList(value).filter((entry) => !isProxyEntry(entry));
  if (invalid.length === 0) return [];
  return [
    {
      variable: 'ADMIN_TRUSTED_PROXIES',
      problem: `${invalid.map((entry) => JSON.stringify(entry)).join(', ')} 不是 IP 地址或网段 (not an IP address or CIDR range)`,
      fix: '设为逗号分隔的地址或网段, 例如 127.0.0.1,10.0.0.0/8 (set comma-separated addresses or CIDR ranges)',
    },
  ];
}

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

function pairProblems(userVariable: string, user: string | undefined, passwordVariable: string, password: string | undefined): ConfigProblem[] {
  if (user !== undefined && password === undefined) {
    return [{ variable: passwordVariable, problem: `设置了 ${userVariable} 时必填 (is required when ${userVariable} is set)`, fix: `设置它, 或去掉 ${userVariable} (set it, or unset ${userVariable})` }];
  }
  if (user === undefined && password !== undefined) {
    return [{ variable: userVariable, problem: `设置了 ${passwordVariable} 时必填 (is required when ${passwordVariable} is set)`, fix: `设置它, 或去掉 ${passwordVariable} (set it, or unset ${passwordVariable})` }];
  }
  return [];
}

function passwordProblems(variable: string, password: string | undefined): ConfigProblem[] {
  if (password === undefined || [...password].length >= MIN_PASSWORD_CHARS) return [];
  return [{ variable, problem: `短于 ${MIN_PASSWORD_CHARS} 个字符 (is shorter than ${MIN_PASSWORD_CHARS} characters)`, fix: `设为至少 ${MIN_PASSWORD_CHARS} 个字符, 例如 $(openssl rand -base64 18) (set it to at least ${MIN_PASSWORD_CHARS} characters)` }];
}
