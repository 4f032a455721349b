import { responseMessage, type ResponseCode } from './response-codes.ts';

/** The response body of the push API. */
export interface ResponseEnvelope {
  resp_code: ResponseCode;
  resp_msg: string;
  resp_data: Record<string, unknown>;
}

export function buildEnvelope(code: ResponseCode, detail?: string): ResponseEnvelope {
  return { resp_code: code, resp_msg: responseMessage(code, detail), resp_data: {} };
}
