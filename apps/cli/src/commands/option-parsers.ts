import { APPLY_ERROR_CODES, type ApplyErrorCode, parseApplyErrorCode } from '@student-sync/domain/errors';
import { InvalidArgumentError, Option } from 'commander';

/** Parser for an integer option within [min, max]. */
export function integerIn(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`必须是 ${min} 到 ${max} 之间的整数 (integer between ${min} and ${max})`);
    }
    return number;
  };
}

/** Parser for a number option within [min, max]. */
export function numberIn(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
      throw new InvalidArgumentError(`必须是 ${min} 到 ${max} 之间的数 (number between ${min} and ${max})`);
    }
    return number;
  };
}

/**
 * Parser for a selecting text value such as a batch number, trimmed as stored values are. An
 * empty value is rejected, because it would match no record and look like a valid filter.
 */
export function nonEmptyText(maxChars: number, whenEmpty = '不按这一项筛选时请去掉这个选项 (leave the option out to not filter by it)') {
  return (value: string): string => {
    const text = value.trim();
    if (text === '') throw new InvalidArgumentError(`不能为空 (must not be empty); ${whenEmpty}`);
    if (text.length > maxChars) throw new InvalidArgumentError(`最多 ${maxChars} 个字符 (at most ${maxChars} characters)`);
    return text;
  };
}

/** Parser for an error code option, in any case: an unknown code names the known ones. */
export function errorCodeOption(value: string): ApplyErrorCode {
  const code = parseApplyErrorCode(value);
  if (code) return code;
  throw new InvalidArgumentError(`不是已知的错误码, 可选 (not a known error code, one of): ${APPLY_ERROR_CODES.join(', ')}`);
}

/** Options of the signed sender, shared by `push` and `simulate --send`. */
export interface SenderOptions {
  url?: string;
  appKey?: string;
  signKey?: string;
  scheme?: string;
  clientFile?: string;
  concurrency: number;
  rate?: number;
  maxAttempts: number;
  timeoutMs: number;
}

/** Upper bound of --rate: a load test from one CLI process stays below this many requests per second. */
export const MAX_RATE_PER_SECOND = 5000;

export function senderOptions(defaultRate?: number): Option[] {
  const rate = new Option('--rate <n>', `每秒最多发起的请求数, 含失败后的重试, 最大 ${MAX_RATE_PER_SECOND} (max requests per second)`).argParser(
    numberIn(0.1, MAX_RATE_PER_SECOND),
  );
  if (defaultRate !== undefined) rate.default(defaultRate);
  return [
    new Option('--url <url>', '接收地址 (ingress URL); 默认取客户端文件中的 url, 否则 http://127.0.0.1:8080/api/v1/student-changes'),
    new Option('--app-key <appKey>', 'app-key; 默认取客户端文件'),
    new Option('--sign-key <signKey>', '签名密钥 (sign key); 默认取客户端文件. 注意: 命令行参数会出现在进程列表中'),
    new Option('--scheme <scheme>', '签名方式 (sign scheme): MD5, HMAC_SHA256 或 HMAC_SM3; 默认取客户端文件, 否则 MD5'),
    new Option('--client-file <path>', '客户端文件 JSON { "appKey", "signKey", "url" }, 如 .data/demo-client.json'),
    new Option('--concurrency <n>', '同时进行的请求数 (requests in flight)').argParser(integerIn(1, 256)).default(8),
    rate,
    new Option('--max-attempts <n>', '每条推送最多发送次数, 含首次 (attempts per push)').argParser(integerIn(1, 20)).default(5),
    new Option('--timeout-ms <ms>', '单次请求超时, 毫秒 (request timeout)').argParser(integerIn(100, 300_000)).default(10_000),
  ];
}
