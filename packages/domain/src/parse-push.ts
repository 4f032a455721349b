import { createHash } from 'node:crypto';
import { describeProblem, type PushBody, validatePush } from '@student-sync/protocol';
import { ApplyError } from './errors.ts';
import type { ChangeDetail, Operation, Push } from './push.ts';

/**
 * Parses and re-validates a raw push body (API 4.4.3) with the ingress's own schema, as
 * the worker opens it from a job: jobs may come from other producers or older versions.
 * Throws an INVALID_PUSH ApplyError whose message names the field and the rule.
 */
export function parsePush(rawBody: string): Push {
  const validation = validatePush(parseJson(rawBody));
  if (!validation.ok) invalid(describeProblem(validation.problem));
  const body = validation.body;

  return {
    // validatePush rejects a blank xh, so the trimmed number is never empty.
    studentNo: body.xh.trim(),
    changeTime: body.bg_sj,
    operation: body.cz_lx as Operation,
    examineeNo: blankToNull(body.ksh),
    name: blankToNull(body.xm),
    idNumber: blankToNull(body.sfzh),
    batchNo: blankToNull(body.bg_pch),
    details: (body.bg_mx_list ?? []).map(toChangeDetail),
    bodySha256: createHash('sha256').update(rawBody, 'utf8').digest('hex'),
  };
}

function toChangeDetail(detail: NonNullable<PushBody['bg_mx_list']>[number]): ChangeDetail {
  return {
    changeType: detail.bg_lx.trim(),
    beforeCode: detail.bgq_dm ?? null,
    beforeName: detail.bgq_mc ?? null,
    afterCode: detail.bgh_dm ?? null,
    afterName: detail.bgh_mc ?? null,
  };
}

/** UTF-8 byte order mark as decoded text. */
const BYTE_ORDER_MARK = '\uFEFF';

function parseJson(rawBody: string): unknown {
  // The ingress decodes bodies with TextDecoder, which drops a leading byte order mark, and
  // accepts them. Dropping it here too keeps such a push from failing after its 0000.
  const text = rawBody.startsWith(BYTE_ORDER_MARK) ? rawBody.slice(1) : rawBody;
  try {
    return JSON.parse(text);
  } catch {
    invalid('请求体不是有效的 JSON (body is not valid JSON)');
  }
}

/** Returns the trimmed value, or null when it is absent, null or blank: an empty value never clears a field. */
function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function invalid(reason: string): never {
  throw new ApplyError('INVALID_PUSH', reason);
}
