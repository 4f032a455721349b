import type { FastifySchemaValidationError } from 'fastify';

/** Chinese names of the request parts Fastify validates, keyed by Fastify's name for the part. */
const PARTS: Record<string, string> = {
  querystring: '查询参数',
  body: '请求体',
  params: '路径参数',
  headers: '请求头',
};

const TYPE_NAMES: Record<string, string> = {
  integer: '整数',
  number: '数字',
  string: '字符串',
  boolean: '布尔值 (true 或 false)',
  array: '数组',
  object: 'JSON 对象',
  null: 'null',
};

/** Allowed fields and method of the route whose check failed, when known. */
export interface RouteContext {
  /** Fields the route's schema allows in the checked part of the request. */
  allowedFields?: readonly string[];
  method?: string;
}

/**
 * Describes a failed schema check in Chinese, naming the part of the request, the field and
 * what the field must be, then Ajv's English text in parentheses, e.g.
 * `请求参数无效 (invalid request): 查询参数 limit 不能小于 1 (querystring/limit must be >= 1)`.
 */
export function describeValidation(errors: readonly FastifySchemaValidationError[], part: string | undefined, englishMessage: string, route: RouteContext = {}): string {
  const { allowedFields, method } = route;
  const unknownFields = errors.flatMap((entry) => (entry.keyword === 'additionalProperties' ? [String(entry.params.additionalProperty)] : []));
  if (unknownFields.length > 0 && part === 'querystring' && allowedFields?.length === 0) {
    const bodyHint = method === 'POST' ? ', 过滤条件请放在 JSON 请求体中 (put the filters in the JSON body)' : '';
    return `请求参数无效 (invalid request): 此接口不接受查询参数 (takes no query parameters) ${unknownFields.join(', ')}${bodyHint}`;
  }
  if (unknownFields.length > 0) {
    const names = unknownFields.map((name) => `"${name}"`).join(', ');
    const guesses = unknownFields.flatMap((name) => {
      const guess = guessField(name, allowedFields ?? []);
      return guess ? [`${name} → ${guess}`] : [];
    });
    const hint = guesses.length > 0 ? `, 是否想用 (did you mean) ${guesses.join(', ')}` : '';
    const allowed = allowedFields && allowedFields.length > 0 ? `. 可用字段 (allowed fields): ${allowedFields.join(', ')}` : '';
    return `请求参数无效 (invalid request): 未知字段 (unknown field) ${names}, 请检查拼写 (check the spelling)${hint}${allowed}`;
  }
  const first = errors[0];
  if (!first) return `请求参数无效 (invalid request): ${englishMessage}`;
  const where = part ? (PARTS[part] ?? part) : '请求';
  const field = fieldOf(first);
  return `请求参数无效 (invalid request): ${where}${field ? ` ${field}` : ''} ${ruleOf(first)} (${englishMessage})`;
}

/** Other names operators use for the filter fields, such as the CLI's option names. */
const FIELD_ALIASES: Record<string, string> = { since: 'from', until: 'to', bgpch: 'batch', batchno: 'batch', errorcode: 'errorCode', appkey: 'appKey', id: 'ids' };

/** Returns the allowed field an unknown name probably meant: same letters in another case or spelling, or a known alias. */
function guessField(name: string, allowedFields: readonly string[]): string | undefined {
  const folded = name.toLowerCase().replace(/[-_]/g, '');
  const alias = FIELD_ALIASES[folded];
  if (alias && allowedFields.includes(alias)) return alias;
  return allowedFields.find((field) => field.toLowerCase() === folded);
}

/** Turns Ajv's JSON pointer (`/ids/3`) into the field path an operator types (`ids[3]`). */
function fieldOf(error: FastifySchemaValidationError): string {
  const segments = (error.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  let path = '';
  for (const segment of segments) {
    if (/^[0-9]+$/.test(segment)) path += `[${segment}]`;
    else path += path ? `.${segment}` : segment;
  }
  return path;
}

/** Joins Chinese text and a name with a space only where the name starts with a Latin letter or digit. */
function spaced(text: string, name: string): string {
  return /^[A-Za-z0-9]/.test(name) ? `${text} ${name}` : `${text}${name}`;
}

function ruleOf(error: FastifySchemaValidationError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return '是必填字段';
    case 'type': {
      const types = String(params.type).split(',');
      let text = '必须是';
      for (const [index, type] of types.entries()) text = spaced(index === 0 ? text : `${text}或`, TYPE_NAMES[type] ?? type);
      return text;
    }
    case 'minimum':
      return `不能小于 ${params.limit}`;
    case 'maximum':
      return `不能大于 ${params.limit}`;
    case 'exclusiveMinimum':
      return `必须大于 ${params.limit}`;
    case 'exclusiveMaximum':
      return `必须小于 ${params.limit}`;
    case 'minLength':
      return Number(params.limit) === 1 ? '不能为空' : `至少 ${params.limit} 个字符`;
    case 'maxLength':
      return `最多 ${params.limit} 个字符`;
    case 'minItems':
      return `至少 ${params.limit} 项`;
    case 'maxItems':
      return `最多 ${params.limit} 项`;
    case 'pattern':
      return `格式无效, 须匹配 ${params.pattern}`;
    case 'format':
      return `格式无效, 须为 ${params.format}`;
    case 'enum':
      return `必须是以下值之一: ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'const':
      return `必须是 ${JSON.stringify(params.allowedValue)}`;
    default:
      return '无效';
  }
}
