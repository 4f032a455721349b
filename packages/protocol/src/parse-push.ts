import type { PushBody } from './push-body.ts';
import { ProtocolError } from './response-codes.ts';
import { describeProblem, validatePush } from './validate-push.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and validates the raw body of a push. Throws 2001 when the bytes are not UTF-8
 * JSON and 2002, naming the field and rule, when the JSON is not a valid push.
 */
export function parsePushBody(raw: Buffer): PushBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(raw));
  } catch (error) {
    throw new ProtocolError('2001', '请求体不是 UTF-8 编码的合法 JSON', { cause: error });
  }

  const result = validatePush(parsed);
  if (!result.ok) throw new ProtocolError('2002', describeProblem(result.problem));
  return result.body;
}
