import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESPONSE_CODES } from './response-codes.ts';

const DOCS = ['README.md', 'README.zh-CN.md'];

interface DocRow {
  httpStatus: string;
  message: string;
}

/** Reads the table rows `| code | HTTP | resp_msg | ...` of a README, keyed by code. */
function readTable(fileName: string): Map<string, DocRow> {
  const text = readFileSync(new URL(`../../../${fileName}`, import.meta.url), 'utf8');
  const rows = new Map<string, DocRow>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (!/^\d{4}$/.test(cells[1] ?? '')) continue;
    rows.set(cells[1]!, { httpStatus: cells[2]!, message: cells[3]! });
  }
  return rows;
}

describe.each(DOCS)('response code table in %s', (fileName) => {
  const rows = readTable(fileName);

  it.each(Object.entries(RESPONSE_CODES))('documents %s with its HTTP status and resp_msg', (code, entry) => {
    const row = rows.get(code);
    expect(row, `code ${code} has no row`).toBeDefined();
    expect(row!.httpStatus).toContain(String(entry.httpStatus));
    expect(row!.message).toBe(entry.message);
  });

  it('lists no code that the registry lacks', () => {
    expect([...rows.keys()].filter((code) => !(code in RESPONSE_CODES))).toEqual([]);
  });
});
