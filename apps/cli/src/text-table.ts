/** Lays out rows as left-aligned columns separated by two spaces; the last column is not padded. */
export function textTable(rows: readonly string[][]): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => displayWidth(row[column] ?? ''))));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - displayWidth(cell))))
      .join('  '),
  );
}

const WIDE_CHARACTER = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/** Terminal width of text, counting CJK and full-width characters as two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE_CHARACTER.test(char) ? 2 : 1;
  return width;
}
