import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseIngressEnv } from './ingress.ts';
import { ConfigError } from './parse-env.ts';

const keys = `k1:${randomBytes(32).toString('base64')}`;

describe('parseIngressEnv', () => {
  it('fills the defaults', () => {
    const config = parseIngressEnv({ PII_ENCRYPTION_KEYS: keys });
    expect(config).toMatchObject({
      INGRESS_HOST: '127.0.0.1',
      INGRESS_PORT: 8080,
      INGRESS_PATH: '/api/v1/student-changes',
      SIGNATURE_MAX_SKEW_MS: 600_000,
      JOB_ATTEMPTS: 10,
    });
  });

  it('names a missing key and an invalid number', () => {
    expect(() => parseIngressEnv({})).toThrow(/PII_ENCRYPTION_KEYS: 未设置 \(is required but not set\)/);
    expect(() => parseIngressEnv({})).toThrow(/^配置无效 \(invalid configuration for ingress\), 请检查环境变量:\n/);
    expect(() => parseIngressEnv({})).toThrow(/修正 \(fix\): 设为 .+ \(a base64 key|修正 \(fix\): 设为 部署已在使用的密钥环/);
    expect(() => parseIngressEnv({ PII_ENCRYPTION_KEYS: keys, REDIS_TIMEOUT_MS: '10' })).toThrow(/REDIS_TIMEOUT_MS/);
  });

  it('quotes an invalid value as set', () => {
    expect(() => parseIngressEnv({ PII_ENCRYPTION_KEYS: keys, SIGNATURE_MAX_SKEW_MS: '1e3' })).toThrow(/SIGNATURE_MAX_SKEW_MS: 值 "1e3" 无效 \(value "1e3" is invalid: /);
  });

  it('rejects a keyring entry of the wrong length', () => {
    expect(() => parseIngressEnv({ PII_ENCRYPTION_KEYS: 'k1:AAAA' })).toThrow(ConfigError);
    expect(() => parseIngressEnv({ PII_ENCRYPTION_KEYS: 'k1:AAAA' })).toThrow(/PII_ENCRYPTION_KEYS: 密钥 "k1" 解码后是 3 字节, 应为 32 字节/);
  });

  it('rejects a path without a leading slash', () => {
    expect(() => parseIngressEnv({ PII_ENCRYPTION_KEYS: keys, INGRESS_PATH: 'api/push' })).toThrow(/INGRESS_PATH/);
  });
});
