import { probePostgres, probeRedis, PostgresRejectedError } from './probe.ts';
import { readRedisSettings } from './settings.ts';
import { redactUrl } from './url.ts';

/** Lines for `services status` and whether both services respond. */
export interface StatusReport {
  lines: string[];
  allRespond: boolean;
}

export async function buildStatusReport(redisUrl: string, databaseUrl: string): Promise<StatusReport> {
  const redis = await redisStatus(redisUrl);
  const postgres = await postgresStatus(databaseUrl);
  return { lines: [...redis.lines, ...postgres.lines], allRespond: redis.responds && postgres.responds };
}

async function redisStatus(url: string): Promise<{ lines: string[]; responds: boolean }> {
  const displayUrl = redactUrl(url);
  const probe = await probeRedis(url);
  if (!probe.responds) return { responds: false, lines: [`Redis      ${displayUrl}  无应答 (not responding): ${probe.reason}`] };

  const settings = await readRedisSettings(url);
  const lines = [`Redis      ${displayUrl}  运行中 (responding), version ${settings.version ?? '?'}`];
  lines.push(settingLine('appendonly', settings.appendonly, 'yes', '重启后队列会丢失 (queued pushes are lost on restart)'));
  lines.push(settingLine('maxmemory-policy', settings.maxmemoryPolicy, 'noeviction', '内存紧张时可能丢弃任务 (jobs can be evicted under memory pressure)'));
  return { responds: true, lines };
}

function settingLine(name: string, value: string | undefined, expected: string, risk: string): string {
  if (value === undefined) return `  ${name}: 未知，CONFIG GET 被拒绝 (unknown, CONFIG GET was rejected)`;
  if (value === expected) return `  ${name}: ${value}  正常 (ok)`;
  return `  ${name}: ${value}  警告 (warning): 应为 ${expected} (expected ${expected}), ${risk}`;
}

async function postgresStatus(url: string): Promise<{ lines: string[]; responds: boolean }> {
  const displayUrl = redactUrl(url);
  try {
    const probe = await probePostgres(url);
    if (probe.responds) return { responds: true, lines: [`PostgreSQL ${displayUrl}  运行中 (responding)`] };
    return { responds: false, lines: [`PostgreSQL ${displayUrl}  无应答 (not responding): ${probe.reason}`] };
  } catch (err) {
    if (!(err instanceof PostgresRejectedError)) throw err;
    return { responds: false, lines: [`PostgreSQL ${displayUrl}  ${err.message}`] };
  }
}
