/** One response code of the push API: its HTTP status and the Chinese `resp_msg` sent with it. */
export interface ResponseCodeEntry {
  httpStatus: number;
  message: string;
  /** Whether the sender should resend the same push later. */
  resend: boolean;
}

/**
 * Every `resp_code` the push API returns. The fee platform documents only 0000; the others
 * are this service's contract, listed in the response code tables of README.md and README.zh-CN.md.
 */
export const RESPONSE_CODES = {
  '0000': { httpStatus: 200, message: 'success', resend: false },
  '1001': { httpStatus: 400, message: '请求头缺失或格式错误', resend: false },
  '1002': { httpStatus: 401, message: 'app-key 未知或已停用', resend: false },
  '1003': { httpStatus: 401, message: '时间戳超出允许的时钟偏差', resend: true },
  '1004': { httpStatus: 401, message: '签名不匹配', resend: false },
  '2001': { httpStatus: 400, message: '请求体不是 JSON 或 Content-Type 错误', resend: false },
  '2002': { httpStatus: 400, message: '请求体校验失败', resend: false },
  '2003': { httpStatus: 413, message: '请求体超过大小上限', resend: false },
  '3001': { httpStatus: 503, message: '系统繁忙, 队列积压超过上限, 请稍后重发', resend: true },
  '3002': { httpStatus: 503, message: '队列存储 (Redis) 不可用, 请稍后重发', resend: true },
  '3003': { httpStatus: 429, message: '请求过于频繁, 超过该 app-key 的限流, 请稍后重发', resend: true },
  '9999': { httpStatus: 500, message: '系统内部错误', resend: true },
} as const satisfies Record<string, ResponseCodeEntry>;

export type ResponseCode = keyof typeof RESPONSE_CODES;

export const SUCCESS_CODE: ResponseCode = '0000';

/**
 * A request rejected with a response code. `detail` names the field or header and the
 * rule; it is appended to `resp_msg`, so it must never contain personal data or keys.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly httpStatus: number;

  constructor(
    readonly code: Exclude<ResponseCode, '0000'>,
    readonly detail?: string,
    options?: { httpStatus?: number; cause?: unknown },
  ) {
    super(responseMessage(code, detail), { cause: options?.cause });
    this.httpStatus = options?.httpStatus ?? RESPONSE_CODES[code].httpStatus;
  }
}

/** Builds the `resp_msg` of a code, with the detail after a colon when there is one. */
export function responseMessage(code: ResponseCode, detail?: string): string {
  const base = RESPONSE_CODES[code].message;
  return detail ? `${base}: ${detail}` : base;
}
