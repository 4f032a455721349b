import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { describeValidation } from './validation-message.ts';

function failure(keyword: string, instancePath: string, params: Record<string, unknown>): FastifySchemaValidationError {
  return { keyword, instancePath, schemaPath: '#', params, message: 'english text' };
}

describe('describeValidation', () => {
  it('names a missing field', () => {
    expect(describeValidation([failure('required', '', { missingProperty: 'ids' })], 'body', 'body must have required property ids')).toBe(
      '请求参数无效 (invalid request): 请求体 ids 是必填字段 (body must have required property ids)',
    );
  });

  it('writes nested paths as operators type them', () => {
    const message = describeValidation([failure('maxLength', '/filters/0/a~1b', { limit: 3 })], 'body', 'x');
    expect(message).toContain('请求体 filters[0].a/b 最多 3 个字符');
  });

  it('lists every unknown field', () => {
    const errors = [failure('additionalProperties', '', { additionalProperty: 'since' }), failure('additionalProperties', '', { additionalProperty: 'batch_no' })];
    expect(describeValidation(errors, 'querystring', 'x')).toContain('未知字段 (unknown field) "since", "batch_no"');
  });

  it('suggests the intended field', () => {
    const errors = [failure('additionalProperties', '', { additionalProperty: 'since' }), failure('additionalProperties', '', { additionalProperty: 'batch_no' })];
    const message = describeValidation(errors, 'querystring', 'x', { allowedFields: ['batch', 'appKey', 'errorCode', 'from', 'to', 'limit'] });
    expect(message).toContain('是否想用 (did you mean) since → from, batch_no → batch');
    expect(message).toContain('可用字段 (allowed fields): batch, appKey, errorCode, from, to, limit');
  });

  it('matches a field in another case', () => {
    const message = describeValidation([failure('additionalProperties', '', { additionalProperty: 'APPKEY' })], 'body', 'x', { allowedFields: ['appKey'] });
    expect(message).toContain('APPKEY → appKey');
  });

  it('keeps an unknown rule readable', () => {
    expect(describeValidation([failure('uniqueItems', '/ids', {})], 'body', 'must not have duplicate items')).toBe(
      '请求参数无效 (invalid request): 请求体 ids 无效 (must not have duplicate items)',
    );
  });

  it('names types and enums', () => {
    expect(describeValidation([failure('type', '/limit', { type: 'integer' })], 'querystring', 'x')).toContain('查询参数 limit 必须是整数');
    expect(describeValidation([failure('type', '', { type: 'object' })], 'body', 'x')).toContain('请求体 必须是 JSON 对象');
    expect(describeValidation([failure('type', '/n', { type: 'integer,null' })], 'body', 'x')).toContain('请求体 n 必须是整数或 null');
    expect(describeValidation([failure('enum', '/role', { allowedValues: ['viewer', 'operator'] })], 'body', 'x')).toContain('请求体 role 必须是以下值之一: "viewer", "operator"');
  });
});
