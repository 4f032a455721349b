import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFileFault } from './cli-error.ts';

/** Returns the error a synchronous file operation throws. */
function errorOf(operation: () => unknown): unknown {
  try {
    operation();
  } catch (error) {
    return error;
  }
  throw new Error('the operation did not fail');
}

describe('describeFileFault', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cli-error-'));
  const file = path.join(folder, 'plain.txt');
  writeFileSync(file, 'x');

  it('names a missing file when its folder exists', () => {
    const missing = path.join(folder, 'missing.json');
    expect(describeFileFault(errorOf(() => readFileSync(missing)))).toBe(`文件不存在 (file not found): ${missing}`);
  });

  it('names the missing folder of a file to be written', () => {
    const target = path.join(folder, 'no-such-folder', 'out.ndjson');
    expect(describeFileFault(errorOf(() => writeFileSync(target, 'x')))).toBe(`目录不存在, 请先创建 (folder not found, create it first): ${path.dirname(target)}`);
  });

  it('names a folder given as file', () => {
    expect(describeFileFault(errorOf(() => writeFileSync(folder, 'x')))).toBe(`这是一个目录, 请给出文件路径 (a folder, give a file path): ${folder}`);
  });

  it('names a file used as folder', () => {
    const below = path.join(file, 'x.json');
    expect(describeFileFault(errorOf(() => readFileSync(below)))).toBe(`路径中有一段不是目录 (a part of the path is not a folder): ${below}`);
  });

  it('leaves other errors to the caller', () => {
    expect(describeFileFault(new Error('boom'))).toBeUndefined();
    expect(describeFileFault(undefined)).toBeUndefined();
    expect(describeFileFault(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBeUndefined();
  });
});
