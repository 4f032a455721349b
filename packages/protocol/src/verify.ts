import { ProtocolError } from './response-codes.ts';
import type { SignedHeaders } from './request-headers.ts';
import { findMatchingKey, type SignScheme } from './signing.ts';
import { DEFAULT_MAX_SKEW_MS, isWithinSkew } from './timestamp.ts';

/** Client data needed to verify a request. */
export interface VerificationClient {
  appKey: string;
  scheme: SignScheme;
  enabled: boolean;
  /** The current sign key first, then a rotated-out key still inside its grace period. */
  signKeys: string[];
}

/** Looks up clients by app-key; the Prisma-backed store and the ingress cache implement it. */
export interface ClientDirectory {
  findClientForVerification(appKey: string): Promise<VerificationClient | null>;
  /** Returns the cached result without waiting: the client, null for an app-key cached as unknown, undefined when nothing is cached. */
  peekClientForVerification?(appKey: string): VerificationClient | null | undefined;
}

/** Returns the client when it exists and is enabled; otherwise throws 1002. */
export function requireEnabledClient(client: VerificationClient | null): VerificationClient {
  if (!client) throw new ProtocolError('1002', 'app-key 未登记');
  if (!client.enabled) throw new ProtocolError('1002', 'app-key 已停用');
  return client;
}

/** Throws 1003 when the request time is further than `maxSkewMs` from `now`. */
export function requireFreshTimestamp(headers: SignedHeaders, now: Date, maxSkewMs: number = DEFAULT_MAX_SKEW_MS): void {
  if (isWithinSkew(headers.sentAt, now, maxSkewMs)) return;
  const minutes = Math.round(maxSkewMs / 60_000);
  throw new ProtocolError('1003', `timestamp 与服务器时间相差超过 ${minutes} 分钟, 请用当前北京时间 (GMT+8) 重新签名`);
}

/**
 * Checks x-sign over the exact body bytes and returns the sign key that matched, so the
 * response can be signed with the key the sender holds. Throws 1004 when no key matches.
 */
export function requireValidSignature(client: VerificationClient, headers: SignedHeaders, body: Buffer): string {
  const request = { body, appKey: headers.appKey, timestamp: headers.timestamp };
  const index = findMatchingKey(client.scheme, client.signKeys, request, headers.signature);
  if (index < 0) throw new ProtocolError('1004', `x-sign 与请求体、app-key、timestamp 计算出的 ${client.scheme} 签名不一致`);
  return client.signKeys[index]!;
}
