import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from './target.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cli-target-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('resolveTarget', () => {
  it.each(['notaurl', 'ftp://127.0.0.1/push', '127.0.0.1:8080/api'])('rejects --url %s before sending', async (url) => {
    await expect(resolveTarget({ url, appKey: 'a', signKey: 'k' })).rejects.toThrow(/^--url: ".*" (不是有效的 URL|必须以 http:\/\/ 或 https:\/\/ 开头)/);
  });

  it('names a bad url from the client file', async () => {
    const file = path.join(dir, 'bad-url.json');
    await writeFile(file, JSON.stringify({ appKey: 'a', signKey: 'k', url: 'localhost' }));
    await expect(resolveTarget({ clientFile: file })).rejects.toThrow(`客户端文件 ${file} 中的 url: "localhost"`);
  });

  it('names the field a client file lacks', async () => {
    const file = path.join(dir, 'package.json');
    await writeFile(file, JSON.stringify({ name: 'not-a-client' }));
    await expect(resolveTarget({ clientFile: file })).rejects.toThrow(`客户端文件 ${file} 没有 "appKey" 字段`);
  });

  it('asks for an option without a client file', async () => {
    await expect(resolveTarget({ appKey: 'a' })).rejects.toThrow('缺少 sign key: 请用 --sign-key 指定');
  });

  it('takes a valid https url', async () => {
    await expect(resolveTarget({ url: 'https://127.0.0.1:8443/api/v1/student-changes', appKey: 'a', signKey: 'k' })).resolves.toMatchObject({ scheme: 'MD5' });
  });
});
