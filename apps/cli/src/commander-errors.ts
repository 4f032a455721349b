/**
 * Chinese-first versions of commander 14's usage errors, matched on its English text. Each
 * rule rewrites the start of a message and keeps the rest, such as the CLI's own Chinese
 * reason after an invalid value.
 */
const RULES: ReadonlyArray<[pattern: RegExp, replace: (...groups: string[]) => string]> = [
  [/^error: option '(.+?)' argument '(.*?)' is invalid\.\s*/s, (flags, value) => `错误: 选项 ${flags} 的值 '${value}' 无效 (invalid value). `],
  [/^error: option '(.+?)' argument missing/, (flags) => `错误: 选项 ${flags} 缺少值 (argument missing)`],
  [/^error: required option '(.+?)' not specified/, (flags) => `错误: 缺少必填选项 ${flags} (required option not specified)`],
  [/^error: missing required argument '(.+?)'/, (name) => `错误: 缺少必填参数 ${name} (missing required argument)`],
  [/^error: command-argument value '(.*?)' is invalid for argument '(.+?)'\.\s*/s, (value, name) => `错误: 参数 ${name} 的值 '${value}' 无效 (invalid value). `],
  [/^error: unknown option '(.+?)'/, (flag) => `错误: 未知选项 ${flag} (unknown option)`],
  [/^error: unknown command '(.+?)'/, (name) => `错误: 未知命令 ${name} (unknown command)`],
  [/^error: too many arguments(?: for '(.+?)')?\. Expected (\d+) arguments? but got (\d+)\./, (_command, expected, received) => `错误: 参数过多, 应为 ${expected} 个, 实际为 ${received} 个 (too many arguments)`],
];

/** Rewrites a commander usage error so it starts in Chinese. Text that no rule matches only gets a Chinese prefix. */
export function localizeCommanderError(text: string): string {
  const localized = text
    .replace(/\(Did you mean (.+?)\?\)/, '(是否想输入 $1? did you mean $1?)')
    .replace(/Allowed choices are (.+?)\.(\s*)$/, '可选值: $1 (allowed choices)$2');
  for (const [pattern, replace] of RULES) {
    const match = pattern.exec(localized);
    if (match) return replace(...match.slice(1)) + localized.slice(match[0].length);
  }
  return localized.startsWith('error: ') ? `错误: ${localized.slice('error: '.length)}` : localized;
}
