import { readFile, writeFile } from 'node:fs/promises';
import { CliUsageError } from '../cli-error.ts';
import { type ExpectedStudent } from './expected.ts';

/**
 * Expected final state, written by `simulate --expect` and read by `verify`. It contains ID
 * and bank card numbers in plaintext, so it is written with mode 0600 and must stay on the
 * machine that ran the test.
 */
export interface ExpectFile {
  format: 'student-sync-expected-state/1';
  seed: string;
  pushCount: number;
  deliveryCount: number;
  students: ExpectedStudent[];
}

export async function writeExpectFile(path: string, content: Omit<ExpectFile, 'format'>): Promise<void> {
  const file: ExpectFile = { format: 'student-sync-expected-state/1', ...content };
  await writeFile(path, `${JSON.stringify(file, null, 1)}\n`, { mode: 0o600 });
}

export async function readExpectFile(path: string): Promise<ExpectFile> {
  let parsed: Partial<ExpectFile>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ExpectFile>;
  } catch (error) {
    throw new CliUsageError(`无法读取期望状态文件 ${path}: ${(error as Error).message} (cannot read expected state)`);
  }
  if (parsed.format !== 'student-sync-expected-state/1' || !Array.isArray(parsed.students)) {
    throw new CliUsageError(`${path} 不是 simulate --expect 写出的期望状态文件 (not an expected-state file)`);
  }
  return parsed as ExpectFile;
}
