import { randomBytes } from 'node:crypto';
import { Keyring } from '@student-sync/privacy';
import { computeSignature, formatTimestamp, type ClientDirectory, type SignScheme, type VerificationClient } from '@student-sync/protocol';
import { BacklogMonitor, createPushQueue, createRedisConnection, waitForRedisReady, type PushQueue } from '@student-sync/queue';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { randomQueuePrefix, testLogger, testRedisUrl } from '../../../../tests/support/index.ts';
import { buildApp, type IngressDeps, type IngressSettings } from '../app.ts';

/** Clients kept in memory, standing in for the PostgreSQL-backed store in HTTP tests. */
export class MemoryClientDirectory implements ClientDirectory {
  readonly clients = new Map<string, VerificationClient>();

  add(client: VerificationClient): this {
    this.clients.set(client.appKey, client);
    return this;
  }

  async findClientForVerification(appKey: string): Promise<VerificationClient | null> {
    return this.clients.get(appKey) ?? null;
  }
}

export const MD5_CLIENT: VerificationClient = { appKey: 'efutong', scheme: 'MD5', enabled: true, signKeys: ['md5-sign-key'] };
export const SM3_CLIENT: VerificationClient = { appKey: 'gm-client', scheme: 'HMAC_SM3', enabled: true, signKeys: ['sm3-sign-key'] };
export const DISABLED_CLIENT: VerificationClient = { appKey: 'retired', scheme: 'MD5', enabled: false, signKeys: ['retired-key'] };

export interface TestIngress {
  app: FastifyInstance;
  queue: PushQueue;
  redis: Redis;
  keyring: Keyring;
  prefix: string;
  close(): Promise<void>;
}

export interface TestIngressOptions {
  redisUrl?: string;
  settings?: Partial<IngressSettings>;
  clients?: ClientDirectory;
  metrics?: IngressDeps['metrics'];
  /** Receives the app's log lines at info level. The log is silent when omitted. */
  logLines?: string[];
}

/** Builds an ingress app on its own random queue prefix; `close()` removes the prefix's keys. */
export async function startTestIngress(options: TestIngressOptions = {}): Promise<TestIngress> {
  const prefix = randomQueuePrefix();
  const settings: IngressSettings = {
    path: '/api/v1/student-changes',
    bodyLimitBytes: 4_096,
    maxSkewMs: 600_000,
    backlogLimit: 1_000,
    // Well above a Redis round trip, because tests share 2 cores and a late reply would turn a
    // 0000 into 3002. Tests of the timeout set their own.
    redisTimeoutMs: 5_000,
    rateLimitPerMinute: 0,
    keyPrefix: prefix,
    ...options.settings,
  };
  const redis = createRedisConnection(options.redisUrl ?? testRedisUrl(), { role: 'producer', commandTimeoutMs: settings.redisTimeoutMs });
  redis.on('error', () => {});
  await waitForRedisReady(redis, 5_000);

  const queue = createPushQueue({ connection: redis, prefix, onError: () => {} });
  const backlog = new BacklogMonitor(queue, { refreshIntervalMs: 0, timeoutMs: settings.redisTimeoutMs });
  const keyring = Keyring.parse(`k1:${randomBytes(32).toString('base64')}`);
  const clients = options.clients ?? new MemoryClientDirectory().add(MD5_CLIENT).add(SM3_CLIENT).add(DISABLED_CLIENT);
  const log = testLogger('ingress-test', options.logLines);
  const app = await buildApp({ settings, log, clients, queue, backlog, keyring, redis, metrics: options.metrics });

  const close = async () => {
    await app.close();
    // A test that passes its own redisUrl owns that server and throws it away with its keys.
    if (!options.redisUrl) {
      await queue.obliterate({ force: true });
      const rateKeys = await redis.keys(`${prefix}:rate-limit:*`);
      if (rateKeys.length > 0) await redis.del(...rateKeys);
    }
    await queue.close().catch(() => {});
    redis.disconnect();
  };
  return { app, queue, redis, keyring, prefix, close };
}

export interface SignedRequestOptions {
  client?: VerificationClient;
  signKey?: string;
  timestamp?: string;
  contentType?: string;
  /** Header values that replace or remove (undefined) the signed ones. */
  headers?: Record<string, string | undefined>;
  path?: string;
}

/** Builds an inject request for `body`, signed over its exact bytes. */
export function signedRequest(body: string | Buffer, options: SignedRequestOptions = {}): InjectOptions {
  const client = options.client ?? MD5_CLIENT;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const timestamp = options.timestamp ?? formatTimestamp(new Date());
  const signKey = options.signKey ?? client.signKeys[0]!;
  const signature = computeSignature(client.scheme, { body: bytes, appKey: client.appKey, timestamp, signKey });
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json;charset=UTF-8',
    'app-key': client.appKey,
    timestamp,
    'x-sign': signature,
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { method: 'POST', url: options.path ?? '/api/v1/student-changes', headers, payload: bytes };
}

/** Returns true when the response carries a valid signature by `signKey` under `scheme`. */
export function responseSignedBy(response: LightMyRequestResponse, scheme: SignScheme, signKey: string): boolean {
  const appKey = response.headers['app-key'];
  const timestamp = response.headers.timestamp;
  if (typeof appKey !== 'string' || typeof timestamp !== 'string') return false;
  const expected = computeSignature(scheme, { body: response.rawPayload, appKey, timestamp, signKey });
  return response.headers['x-sign'] === expected;
}

/** Builds a valid push body; `overrides` replace fields, and an undefined value removes one. */
export function pushBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    xh: '2024001',
    ksh: '24110101150001',
    bg_sj: '20240901083000',
    sfzh: '110105200601011234',
    xm: '张三',
    bg_pch: 'P20240901-01',
    cz_lx: 'UPDATE',
    bg_mx_list: [{ bg_lx: 'KZ_YHKH', bgq_dm: '6222020200112233445', bgq_mc: '', bgh_dm: '6222020200998877665', bgh_mc: '' }],
    ...overrides,
  };
  for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key];
  return body;
}

export function respCodeOf(response: LightMyRequestResponse): string {
  return (response.json() as { resp_code: string }).resp_code;
}
