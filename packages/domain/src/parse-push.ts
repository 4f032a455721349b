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

  const studentNo = body.xh.trim();
  if (studentNo === '') invalid('xh 不能为空白 (xh must not be blank)');

  return {
    studentNo,
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

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
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
