import { describe, expect, it } from 'vitest';
import { localizeCommanderError } from './commander-errors.ts';
import { buildProgram } from './program.ts';

describe('localizeCommanderError', () => {
  it.each([
    ["error: option '--limit <n>' argument '0' is invalid. 必须是 1 到 10000 之间的整数\n", "错误: 选项 --limit <n> 的值 '0' 无效 (invalid value). 必须是 1 到 10000 之间的整数\n"],
    ["error: option '--limit <n>' argument missing\n", '错误: 选项 --limit <n> 缺少值 (argument missing)\n'],
    ["error: required option '--expect <file>' not specified\n", '错误: 缺少必填选项 --expect <file> (required option not specified)\n'],
    ["error: missing required argument 'bg_pch'\n", '错误: 缺少必填参数 bg_pch (missing required argument)\n'],
    ["error: command-argument value 'x' is invalid for argument 'n'. 必须是整数\n", "错误: 参数 n 的值 'x' 无效 (invalid value). 必须是整数\n"],
    ["error: unknown command 'bogus'\n", '错误: 未知命令 bogus (unknown command)\n'],
    ["error: too many arguments for 'batch'. Expected 1 argument but got 2.\n", '错误: 参数过多, 应为 1 个, 实际为 2 个 (too many arguments)\n'],
    ['error: something new\n', '错误: something new\n'],
  ])('rewrites %j', (text, expected) => {
    expect(localizeCommanderError(text)).toBe(expected);
  });

  it('translates the allowed choices', () => {
    expect(localizeCommanderError("error: option '--scheme <scheme>' argument 'SHA1' is invalid. Allowed choices are MD5, HMAC_SHA256, HMAC_SM3.\n")).toBe(
      "错误: 选项 --scheme <scheme> 的值 'SHA1' 无效 (invalid value). 可选值: MD5, HMAC_SHA256, HMAC_SM3 (allowed choices)\n",
    );
  });

  it('translates the suggestion of an unknown option', () => {
    expect(localizeCommanderError("error: unknown option '--limt'\n(Did you mean --limit?)\n")).toBe('错误: 未知选项 --limt (unknown option)\n(是否想输入 --limit? did you mean --limit?)\n');
  });

  it('is wired into each command', () => {
    const written: string[] = [];
    const batches = buildProgram().commands.find((command) => command.name() === 'batches')!;
    batches.configureOutput().outputError!("error: unknown option '--x'\n", (text) => written.push(text));
    expect(written).toEqual(['错误: 未知选项 --x (unknown option)\n']);
  });

  it('titles help sections in Chinese', () => {
    const help = buildProgram().commands.find((command) => command.name() === 'batch')!.helpInformation();
    expect(help).toMatch(/^用法 \(Usage\): student-sync batch/);
    expect(help).toContain('参数 (Arguments):');
    expect(help).toContain('选项 (Options):');
  });
});
