import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyedHasher, Keyring, SealError } from './keyring.ts';
import { maskBankCard, maskIdNumber } from './mask.ts';

const spec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('Keyring', () => {
  it('seals and opens a value', () => {
    const ring = Keyring.parse(spec('k1'));
    const sealed = ring.seal('110105199001011234');
    expect(sealed).not.toContain('110105199001011234');
    expect(ring.open(sealed)).toBe('110105199001011234');
  });

  it('uses a fresh IV for every seal, across refills of the IV pool', () => {
    const keyring = new Keyring([{ keyId: 'k1', key: randomBytes(32) }]);
    const envelopes = Array.from({ length: 2_500 }, (_, index) => keyring.seal(`value ${index}`));
    expect(new Set(envelopes.map((envelope) => envelope.split('.')[2])).size).toBe(2_500);
    envelopes.forEach((envelope, index) => expect(keyring.open(envelope)).toBe(`value ${index}`));
  });

  it('rejects an entry without key id, without echoing it', () => {
    const key = randomBytes(32).toString('base64');
    expect(() => Keyring.parse(`${spec('k1')},${key}`)).toThrow('第 2 项没有密钥 ID, 每项的格式是 keyId:base64key (keyring entry 2 has no key id: each entry must look like keyId:base64key)');
    expect(() => Keyring.parse(key)).toThrow(/^第 1 项没有密钥 ID/);
    expect(() => Keyring.parse(key)).not.toThrow(key.slice(0, 8));
  });

  it('opens values sealed by an older key after rotation', () => {
    const old = spec('k1');
    const sealed = Keyring.parse(old).seal('6222020200112233445');
    const rotated = Keyring.parse(`${spec('k2')},${old}`);
    expect(rotated.open(sealed)).toBe('6222020200112233445');
    expect(Keyring.keyIdOf(rotated.seal('x'))).toBe('k2');
  });

  it('rejects a tampered envelope', () => {
    const ring = Keyring.parse(spec('k1'));
    const sealed = ring.seal('secret');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => ring.open(parts.join('.'))).toThrow(SealError);
  });

  it('rejects an unknown key id and a bad key length', () => {
    const sealed = Keyring.parse(spec('k1')).seal('x');
    expect(() => Keyring.parse(spec('k2')).open(sealed)).toThrow(/k1/);
    expect(() => Keyring.parse('k1:AAAA')).toThrow('密钥 "k1" 解码后是 3 字节, 应为 32 字节 (key decodes to 3 bytes, expected 32)');
  });

  it('describes keyring problems in Chinese first', () => {
    expect(() => Keyring.parse(' , ')).toThrow(/^密钥环为空, 至少需要一个密钥 \(the keyring is empty/);
    expect(() => Keyring.parse(spec('k 1'))).toThrow(/^密钥 ID "k 1" 必须是 1 到 32 个 A-Z/);
    expect(() => Keyring.parse(`${spec('k1')},${spec('k1')}`)).toThrow('密钥 ID "k1" 出现了两次 (key id appears twice)');
    expect(() => new KeyedHasher(randomBytes(16))).toThrow(/^哈希密钥解码后是 16 字节, 至少应为 32 字节/);
  });
});

describe('KeyedHasher', () => {
  it('hashes equal values equally, ignoring case of the check letter', () => {
    const hasher = new KeyedHasher(randomBytes(32));
    expect(hasher.hash('11010519900101123x')).toBe(hasher.hash('11010519900101123X'));
    expect(hasher.hash('a')).not.toBe(hasher.hash('b'));
  });
});

describe('masking', () => {
  it('keeps only the ends', () => {
    expect(maskIdNumber('11010519900101123X')).toBe('110105********123X');
    expect(maskBankCard('6222020200112233445')).toBe('6222***********3445');
    expect(maskBankCard('1234')).toBe('****');
  });
});
