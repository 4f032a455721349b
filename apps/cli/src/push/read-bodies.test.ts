import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError } from '../cli-error.ts';
import { readPushBodies } from './read-bodies.ts';

describe('readPushBodies', () => {
  let dir: string;
  const file = async (name: string, content: string) => {
    const target = path.join(dir, name);
    await writeFile(target, content);
    return target;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'student-sync-read-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names a folder given as file', async () => {
    await expect(readPushBodies(dir)).rejects.toMatchObject({ code: 'EISDIR', path: dir });
  });

  it('reads NDJSON line by line with exact bytes', async () => {
    const bodies = await readPushBodies(await file('a.ndjson', '{"xh":"1"}\r\n\n{"xh": "2",  "xm":"张三"}\n'));
    expect(bodies.map((b) => b.toString('utf8'))).toEqual(['{"xh":"1"}', '{"xh": "2",  "xm":"张三"}']);
  });

  it('reads a pretty-printed object as one body', async () => {
    const text = '{\n  "xh": "1",\n  "bg_mx_list": []\n}\n';
    const bodies = await readPushBodies(await file('b.json', `\uFEFF${text}`));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.toString('utf8')).toBe(text.trim());
  });

  it('rejects a JSON array and names the line', async () => {
    await expect(readPushBodies(await file('c.json', '[\n{"xh":"1"}\n]'))).rejects.toThrow(/第 1 行/);
  });

  it('rejects an empty file', async () => {
    await expect(readPushBodies(await file('d.json', '\n \n'))).rejects.toBeInstanceOf(CliUsageError);
  });
});
