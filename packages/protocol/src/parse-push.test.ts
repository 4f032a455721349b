import { describe, expect, it } from 'vitest';
import { parsePushBody } from './parse-push.ts';
import { ProtocolError } from './response-codes.ts';

function errorOf(raw: Buffer): ProtocolError {
  try {
    parsePushBody(raw);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('parsePushBody accepted the body');
}

describe('parsePushBody', () => {
  it('reads Chinese sent as raw UTF-8 and as \\u escapes alike', () => {
    const raw = parsePushBody(Buffer.from('{"xh":"1","bg_sj":"20240901083000","cz_lx":"ADD","xm":"张三"}'));
    const escaped = parsePushBody(Buffer.from('{"xh":"1","bg_sj":"20240901083000","cz_lx":"ADD","xm":"\\u5f20\\u4e09"}'));
    expect(raw.xm).toBe('张三');
    expect(escaped.xm).toBe('张三');
  });

  it('rejects broken JSON, an empty body and invalid UTF-8 with 2001', () => {
    expect(errorOf(Buffer.from('{"xh":')).code).toBe('2001');
    expect(errorOf(Buffer.alloc(0)).code).toBe('2001');
    expect(errorOf(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])).code).toBe('2001');
  });

  it('rejects an invalid push with 2002 naming the field', () => {
    const error = errorOf(Buffer.from('{"xh":"1","bg_sj":"2024","cz_lx":"ADD"}'));
    expect(error.code).toBe('2002');
    expect(error.message).toBe('请求体校验失败: bg_sj 必须是 14 位数字 yyyyMMddHHmmss');
  });
});
