import { type PushTarget, responseSignatureValid, signedHeaders } from './signed-request.ts';

/** Result of one HTTP attempt of a push. */
export type AttemptResult =
  | { kind: 'response'; httpStatus: number; respCode: string; respMsg: string; signatureValid: boolean; retryAfterMs?: number }
  | {
      kind: 'failed';
      message: string;
      /** True when no request was sent and resending cannot help, as for a port that fetch refuses. */
      permanent?: boolean;
    };

/** resp_code recorded for a response whose body is not the JSON envelope. */
export const UNREADABLE_RESPONSE = 'NO_ENVELOPE';

/**
 * Sends one push and reads the response envelope. Network failures and timeouts are
 * returned, not thrown, so the caller can decide whether to resend.
 */
export async function sendPush(target: PushTarget, body: Buffer, timeoutMs: number): Promise<AttemptResult> {
  let response: Response;
  let responseBody: Buffer;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: signedHeaders(target, body, new Date()),
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    responseBody = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    return { kind: 'failed', message: describeFetchError(error), ...(isBadPort(error) ? { permanent: true } : {}) };
  }

  const envelope = readEnvelope(responseBody);
  return {
    kind: 'response',
    httpStatus: response.status,
    respCode: envelope?.resp_code ?? UNREADABLE_RESPONSE,
    respMsg: envelope?.resp_msg ?? describeOtherBody(response.status, responseBody),
    signatureValid: responseSignatureValid(target, response.headers, responseBody),
    retryAfterMs: retryAfterMsOf(response.headers),
  };
}

/** Reads a `retry-after` header given in seconds (the form the ingress sends with 3003). */
function retryAfterMsOf(headers: Headers): number | undefined {
  const seconds = Number(headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : undefined;
}

function readEnvelope(body: Buffer): { resp_code: string; resp_msg: string } | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as { resp_code?: unknown; resp_msg?: unknown };
    if (typeof value.resp_code !== 'string') return undefined;
    return { resp_code: value.resp_code, resp_msg: typeof value.resp_msg === 'string' ? value.resp_msg : '' };
  } catch {
    return undefined;
  }
}

/** Maximum characters of server text quoted from a response that is not an envelope. */
const MAX_QUOTED_CHARS = 200;

/**
 * Describes a response that is not an envelope, such as the ingress's 404 for a wrong path,
 * keeping the server's own message, which often names the right URL.
 */
function describeOtherBody(status: number, body: Buffer): string {
  const text = body.toString('utf8');
  let message = text;
  try {
    const value = JSON.parse(text) as { message?: unknown };
    if (typeof value?.message === 'string') message = value.message;
  } catch {
    // Not JSON: the text is quoted as it is.
  }
  const oneLine = message.replace(/\s+/g, ' ').trim().slice(0, MAX_QUOTED_CHARS);
  return oneLine ? `HTTP ${status}: ${oneLine}` : `HTTP ${status}`;
}

function describeFetchError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return '请求超时 (timed out)';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `连接失败 (${cause.code})`;
  if (isBadPort(error)) return '连接失败: fetch 不允许连接这个端口, 请换一个端口 (bad port)';
  if (cause?.message) return `连接失败 (${cause.message})`;
  return error instanceof Error ? error.message : String(error);
}

/** Node's fetch refuses the ports the Fetch standard blocks (9, 25, 6000 and others) before connecting. */
function isBadPort(error: unknown): boolean {
  return error instanceof Error && (error.cause as { message?: string } | undefined)?.message === 'bad port';
}
