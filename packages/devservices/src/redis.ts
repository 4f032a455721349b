import path from 'node:path';
import { foundHandle, once, ServiceUnavailableError, type EnsureOptions, type ServiceHandle } from './handle.ts';
import { createToolLogger, type Logger } from './logger.ts';
import { DEFAULT_PROBE_TIMEOUT_MS, probeRedis } from './probe.ts';
import { findOnPath, missingRedisBinaryMessage, startRedisServer } from './redis-server.ts';
import { defaultDataRoot, isLoopbackHost, portOf, redactUrl } from './url.ts';

const DEFAULT_REDIS_PORT = 6379;
const DEFAULT_START_TIMEOUT_MS = 15_000;

/**
 * Makes sure a Redis responds at `redisUrl`. A running one is used as it is. When none responds
 * and the URL's host is loopback, starts `redis-server` on the URL's port with its data in
 * `<dataRoot>/redis-<port>`. Any other host raises ServiceUnavailableError.
 */
export async function ensureRedis(redisUrl: string, options: EnsureOptions = {}): Promise<ServiceHandle> {
  const log = options.log ?? createToolLogger('devservices');
  const shownUrl = redactUrl(redisUrl);
  const probe = await probeRedis(redisUrl, options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  if (probe.responds) {
    log.info({ url: shownUrl }, '已找到运行中的 Redis，直接使用 (found a running Redis, using it)');
    return foundHandle('redis', redisUrl);
  }

  const url = new URL(redisUrl);
  assertStartable(url, shownUrl, probe.reason);
  const binary = findOnPath('redis-server');
  if (!binary) throw new ServiceUnavailableError(missingRedisBinaryMessage(shownUrl));

  const port = portOf(url, DEFAULT_REDIS_PORT);
  const dataDir = path.join(options.dataRoot ?? defaultDataRoot, `redis-${port}`);
  log.info({ url: shownUrl, reason: probe.reason }, 'Redis 无应答，正在本机启动 redis-server (Redis does not respond, starting redis-server here)');
  const server = await startRedisServer(binary, {
    port,
    dataDir,
    password: decodeURIComponent(url.password),
    url: redisUrl,
    startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
  });
  log.info({ url: shownUrl, pid: server.pid, dataDir }, '已启动 Redis (started Redis): AOF, noeviction');
  return { service: 'redis', url: redisUrl, started: true, stop: once(() => stopRedis(server.stop, log, shownUrl)) };
}

function assertStartable(url: URL, shownUrl: string, reason: string): void {
  if (!isLoopbackHost(url.hostname)) {
    throw new ServiceUnavailableError(
      `Redis 在 ${shownUrl} 无应答 (Redis at ${shownUrl} does not respond: ${reason}). 该主机不在本机，无法代为启动，请检查 REDIS_URL (the host is not this machine, so nothing is started; check REDIS_URL).`,
    );
  }
  if (url.protocol === 'rediss:') {
    throw new ServiceUnavailableError(
      `Redis 在 ${shownUrl} 无应答，本工具不能启动 TLS Redis (Redis at ${shownUrl} does not respond, and a TLS redis:// server cannot be started here): 请改用 redis:// 或自行启动 (use redis:// or start it yourself).`,
    );
  }
}

async function stopRedis(stop: () => Promise<void>, log: Logger, shownUrl: string): Promise<void> {
  await stop();
  log.info({ url: shownUrl }, '已停止本工具启动的 Redis (stopped the Redis started here)');
}
