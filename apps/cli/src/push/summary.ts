import { textTable } from '../text-table.ts';
import { type PushOutcome } from './send-all.ts';
import { UNREADABLE_RESPONSE } from './send-push.ts';

export interface CodeRow {
  /** resp_code, or 网络错误 for pushes that never got a response. */
  code: string;
  httpStatus: number | null;
  count: number;
  /** The first resp_msg or error message seen with this code. */
  sampleMessage: string;
}

export interface SendSummary {
  /** Bodies sent, identical bodies counted each time. */
  total: number;
  /** Different bodies among them. It is below `total` when the input repeats a push byte for byte. */
  distinct: number;
  accepted: number;
  attempts: number;
  invalidSignatures: number;
  rows: CodeRow[];
  elapsedMs: number;
}

export const NETWORK_ERROR_ROW = '网络错误';

/**
 * Responses that carry no signature by design: the ingress cannot sign before it has found the
 * client (1001, 1002), and a response without an envelope comes from elsewhere. A missing
 * signature on these does not point to a wrong sign key, so it is not counted as invalid.
 */
const UNSIGNED_CODES = new Set(['1001', '1002', UNREADABLE_RESPONSE]);

/** Counts the final result of every push by response code. Without `distinct`, every body counts as different. */
export function summarize(outcomes: readonly PushOutcome[], elapsedMs: number, distinct = outcomes.length): SendSummary {
  const rows = new Map<string, CodeRow>();
  let attempts = 0;
  let invalidSignatures = 0;

  for (const { result, attempts: used } of outcomes) {
    attempts += used;
    const code = result.kind === 'response' ? result.respCode : NETWORK_ERROR_ROW;
    const row = rows.get(code) ?? {
      code,
      httpStatus: result.kind === 'response' ? result.httpStatus : null,
      count: 0,
      sampleMessage: result.kind === 'response' ? result.respMsg : result.message,
    };
    row.count += 1;
    rows.set(code, row);
    if (result.kind === 'response' && !result.signatureValid && !UNSIGNED_CODES.has(result.respCode)) invalidSignatures += 1;
  }

  const sorted = [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
  return { total: outcomes.length, distinct, accepted: rows.get('0000')?.count ?? 0, attempts, invalidSignatures, rows: sorted, elapsedMs };
}

/** True when every push was accepted with a correctly signed response. */
export function allAccepted(summary: SendSummary): boolean {
  return summary.accepted === summary.total && summary.invalidSignatures === 0;
}

/** Formats the summary as a table for the terminal, Chinese first. */
export function formatSummary(summary: SendSummary): string {
  const header = ['响应码', 'HTTP', '数量', '说明'];
  const body = summary.rows.map((row) => [row.code, row.httpStatus === null ? '-' : String(row.httpStatus), String(row.count), row.sampleMessage]);
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.total / seconds) : summary.total;
  const lines = [
    ...textTable([header, ...body]),
    '',
    `${describeBodyCounts(summary)}, 已接受 ${summary.accepted} 条, 未接受 ${summary.total - summary.accepted} 条; ` +
      `共发送 ${summary.attempts} 次 (含失败后的重试 ${summary.attempts - summary.total} 次), 用时 ${seconds.toFixed(1)} 秒, 约 ${rate} 条/秒`,
    `(${englishCounts(summary)}, ${summary.accepted} accepted, ${summary.attempts} ${summary.attempts === 1 ? 'request' : 'requests'}, ${seconds.toFixed(1)} s)`,
  ];
  if (summary.invalidSignatures > 0) {
    lines.push(`警告: ${summary.invalidSignatures} 个响应的签名校验失败 (response signature invalid), 请核对 sign key 与签名方式`);
  }
  return lines.join('\n');
}

/** Describes how many bodies were sent and, when some repeated an earlier body byte for byte, how many. */
function describeBodyCounts(summary: SendSummary): string {
  if (summary.distinct >= summary.total) return `共 ${summary.total} 条推送`;
  return `共 ${summary.total} 条请求体 (${summary.distinct} 条不同推送, 另有 ${summary.total - summary.distinct} 条原样重复)`;
}

/** Describes the same counts in English for the second summary line. */
function englishCounts(summary: SendSummary): string {
  const bodies = `${summary.total} ${summary.total === 1 ? 'body' : 'bodies'}`;
  return summary.distinct < summary.total ? `${bodies} of ${summary.distinct} pushes` : bodies;
}
