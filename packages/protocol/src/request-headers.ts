import { appKeyProblem } from './app-key.ts';
import { ProtocolError } from './response-codes.ts';
import { parseTimestamp } from './timestamp.ts';

/** The three signing headers of a push, checked for shape only. */
export interface SignedHeaders {
  appKey: string;
  /** The `timestamp` header as sent; the signature covers this text. */
  timestamp: string;
  sentAt: Date;
  signature: string;
}

type HeaderBag = Record<string, string | string[] | undefined>;

/** x-sign is 32 hex characters for MD5 and 64 for the HMAC schemes. */
const SIGNATURE_PATTERN = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{64})$/;

/**
 * Reads `app-key`, `timestamp` and `x-sign` from lower-cased request headers.
 * Throws a 1001 ProtocolError naming the first header that is missing or malformed.
 */
export function readSignedHeaders(headers: HeaderBag): SignedHeaders {
  const appKey = single(headers, 'app-key');
  const appKeyRule = appKeyProblem(appKey);
  if (appKeyRule) throw new ProtocolError('1001', appKeyRule);

  const timestamp = single(headers, 'timestamp');
  const sentAt = parseTimestamp(timestamp);
  if (!sentAt) throw new ProtocolError('1001', 'timestamp 必须是 14 位数字 yyyyMMddHHmmss (GMT+8) 且是有效的日期时间');

  const signature = single(headers, 'x-sign');
  if (!SIGNATURE_PATTERN.test(signature)) throw new ProtocolError('1001', 'x-sign 必须是 32 位 (MD5) 或 64 位 (HMAC) 十六进制字符');

  return { appKey, timestamp, sentAt, signature };
}

function single(headers: HeaderBag, name: string): string {
  const value = headers[name];
  if (Array.isArray(value)) throw new ProtocolError('1001', `请求头 ${name} 出现了多次`);
  if (value === undefined || value.trim() === '') throw new ProtocolError('1001', `缺少请求头 ${name}`);
  return value.trim();
}
