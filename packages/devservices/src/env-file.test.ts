import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Keyring, KeyedHasher } from '@student-sync/privacy';
import { writeEnvFileFromExample } from './env-file.ts';

const EXAMPLE = [
  '# keys',
  'PII_ENCRYPTION_KEYS=',
  'PII_HASH_KEY=',
  'ADMIN_PASSWORD=',
  'REDIS_URL=redis://127.0.0.1:6379',
  'QUEUE_PREFIX=',
  '',
].join('\n');

function tempFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), 'env-file-'));
  const example = path.join(dir, '.env.example');
  writeFileSync(example, EXAMPLE);
  return { example, env: path.join(dir, '.env') };
}

function parse(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('writeEnvFileFromExample', () => {
  it('fills keys and secrets with fresh values', () => {
    const files = tempFiles();
    expect(writeEnvFileFromExample(files.example, files.env)).toBe(true);
    const values = parse(readFileSync(files.env, 'utf8'));
    expect(() => Keyring.parse(values.get('PII_ENCRYPTION_KEYS')!)).not.toThrow();
    expect(() => KeyedHasher.parse(values.get('PII_HASH_KEY')!)).not.toThrow();
    expect(values.get('ADMIN_PASSWORD')!.length).toBeGreaterThanOrEqual(32);
    expect(values.get('REDIS_URL')).toBe('redis://127.0.0.1:6379');
    expect(values.get('QUEUE_PREFIX')).toBe('');
    expect(statSync(files.env).mode & 0o777).toBe(0o600);
  });

  it('never overwrites an existing .env', () => {
    const files = tempFiles();
    writeFileSync(files.env, 'MINE=1\n');
    expect(writeEnvFileFromExample(files.example, files.env)).toBe(false);
    expect(readFileSync(files.env, 'utf8')).toBe('MINE=1\n');
  });

  it('generates different keys each time', () => {
    const first = tempFiles();
    const second = tempFiles();
    writeEnvFileFromExample(first.example, first.env);
    writeEnvFileFromExample(second.example, second.env);
    const key = (file: string) => parse(readFileSync(file, 'utf8')).get('PII_HASH_KEY');
    expect(key(first.env)).not.toBe(key(second.env));
  });
});
