import { readFile } from 'node:fs/promises';
import { CliUsageError } from '../cli-error.ts';

/**
 * Reads push bodies from a file, or from standard input when `source` is `-`. When every
 * non-empty line parses as a JSON object, the input is NDJSON with one push per line.
 * Otherwise the whole input must be one JSON object, such as a pretty-printed example.
 * A body keeps the exact bytes of its line, or of the input without surrounding
 * whitespace, because the signature and the idempotency key cover those bytes.
 */
export async function readPushBodies(source: string): Promise<Buffer[]> {
  const raw = source === '-' ? await readStdin() : await readFile(source).catch((error: NodeJS.ErrnoException) => {
    // Reading a folder fails without naming it, and the operator's report names the path.
    error.path ??= source;
    throw error;
  });
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new CliUsageError(`${describe(source)}没有内容 (no push found)`);

  if (lines.every(isJsonObject)) return lines.map((line) => Buffer.from(line, 'utf8'));

  const whole = text.trim();
  if (isJsonObject(whole)) return [Buffer.from(whole, 'utf8')];

  const firstBad = text.split('\n').findIndex((line) => line.trim() !== '' && !isJsonObject(line.replace(/\r$/, '')));
  throw new CliUsageError(
    `${describe(source)}既不是一个 JSON 对象, 也不是每行一个 JSON 对象的 NDJSON: 第 ${firstBad + 1} 行不是 JSON 对象 ` +
      `(expected one JSON object or NDJSON)`,
  );
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

function describe(source: string): string {
  return source === '-' ? '标准输入' : `文件 ${source} `;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
