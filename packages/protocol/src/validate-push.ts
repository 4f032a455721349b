import { Kind, type TArray, type TObject, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { PushBody, ruleOf } from './push-body.ts';
import { parseTimestamp } from './timestamp.ts';

/** The first field of a push that breaks a rule, with the rule in Chinese. */
export interface ValidationProblem {
  /** Field path such as `bg_sj` or `bg_mx_list[2].bg_lx`; empty for the whole body. */
  field: string;
  rule: string;
}

export type PushValidation = { ok: true; body: PushBody } | { ok: false; problem: ValidationProblem };

/** Formats a problem as it appears in `resp_msg`, e.g. `bg_sj 必须是 14 位数字 yyyyMMddHHmmss`. */
export function describeProblem(problem: ValidationProblem): string {
  return problem.field ? `${problem.field} ${problem.rule}` : `请求体${problem.rule}`;
}

/**
 * Validates a parsed push body. Fields are checked in schema order and the first problem
 * is reported, so one request always gets the same message. The body is returned
 * unchanged, unknown fields included.
 */
export function validatePush(value: unknown): PushValidation {
  // The compiled check passes only values the field-by-field walk also passes, so the walk,
  // which names the first broken field, runs only for a body that needs a message.
  const shapeProblem = COMPILED_PUSH_BODY.Check(value) ? undefined : firstProblem(PushBody, value, '');
  const problem = shapeProblem ?? studentNoProblem(value as PushBody) ?? changeTimeProblem(value as PushBody) ?? afterValueProblem(value as PushBody);
  return problem ? { ok: false, problem } : { ok: true, body: value as PushBody };
}

const COMPILED_PUSH_BODY = TypeCompiler.Compile(PushBody);

/** Rejects an `xh` of white space only, because workers look students up by the trimmed number. */
function studentNoProblem(body: PushBody): ValidationProblem | undefined {
  return body.xh.trim() === '' ? { field: 'xh', rule: '不能只包含空白字符' } : undefined;
}

function changeTimeProblem(body: PushBody): ValidationProblem | undefined {
  if (parseTimestamp(body.bg_sj)) return undefined;
  return { field: 'bg_sj', rule: '不是有效的日期时间 (yyyyMMddHHmmss, GMT+8)' };
}

/**
 * Change types whose `bgh_dm` becomes a field of the student. A detail of one of them without
 * `bgh_dm` would blank that field, so it is rejected. An empty string still clears a class, card
 * or status on purpose. XH is not listed because the new student number is the body's `xh`.
 * Other change types are only recorded, so their values stay optional.
 */
const APPLIED_CHANGE_TYPES = new Set(['KZ_BJ_ID', 'KZ_YHKH', 'KZ_ZT']);

function afterValueProblem(body: PushBody): ValidationProblem | undefined {
  const details = body.bg_mx_list ?? [];
  for (const [index, detail] of details.entries()) {
    if (!APPLIED_CHANGE_TYPES.has(detail.bg_lx)) continue;
    if (typeof detail.bgh_dm !== 'string') {
      return { field: `bg_mx_list[${index}].bgh_dm`, rule: `是必填字段: 变更类型 ${detail.bg_lx} 必须给出变更后代码` };
    }
  }
  return undefined;
}

function firstProblem(schema: TSchema, value: unknown, path: string): ValidationProblem | undefined {
  if (schema[Kind] === 'Object') return objectProblem(schema as TObject, value, path);
  if (schema[Kind] === 'Array') return arrayProblem(schema as TArray, value, path);
  return Value.Check(schema, value) ? undefined : { field: path, rule: ruleOf(schema) };
}

function objectProblem(schema: TObject, value: unknown, path: string): ValidationProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { field: path, rule: ruleOf(schema) };

  const record = value as Record<string, unknown>;
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties)) {
    const fieldPath = path ? `${path}.${name}` : name;
    if (record[name] === undefined) {
      if (required.has(name)) return { field: fieldPath, rule: '是必填字段' };
      continue;
    }
    const problem = firstProblem(property, record[name], fieldPath);
    if (problem) return problem;
  }
  return undefined;
}

function arrayProblem(schema: TArray, value: unknown, path: string): ValidationProblem | undefined {
  if (!Array.isArray(value) || value.length > (schema.maxItems ?? Infinity)) return { field: path, rule: ruleOf(schema) };
  for (const [index, item] of value.entries()) {
    const problem = firstProblem(schema.items, item, `${path}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}
