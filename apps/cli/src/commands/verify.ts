import { Command, Option } from 'commander';
import { readExpectFile } from '../simulate/expect-file.ts';
import { compareStudents, formatDifferences } from '../verify/compare.ts';
import { integerIn } from './option-parsers.ts';

interface VerifyOptions {
  expect: string;
  allowExtra?: boolean;
  maxShown: number;
}

export function verifyCommand(): Command {
  return new Command('verify')
    .summary('核对数据库中的学生与期望状态 (compare stored students with the expected state)')
    .description(
      '读取 simulate --expect 写出的期望状态, 与 PostgreSQL 中的学生逐个字段比较 (解密身份证号和银行卡号, 并核对其哈希与掩码).\n' +
        '输出中的个人信息已掩码. 有差异时退出码为 1.\n' +
        'Compares every student in PostgreSQL with the expected state; exits 1 when anything differs.',
    )
    .requiredOption('--expect <file>', '期望状态文件 (expected-state file from simulate --expect)')
    .option('--allow-extra', '忽略期望状态中没有的学生, 如共享数据库 (ignore students not in the expected state)')
    .addOption(new Option('--max-shown <n>', '最多显示的差异条数 (max differences shown)').argParser(integerIn(1, 100_000)).default(50))
    .action(async (options: VerifyOptions) => {
      const expectFile = await readExpectFile(options.expect);
      const { stored, pushCounts } = await readStoredState();
      const differences = [
        ...stored.integrityProblems,
        ...compareStudents(expectFile.students, stored.students, { allowExtra: options.allowExtra ?? false }),
      ];

      process.stdout.write(`期望 ${expectFile.students.length} 名学生, 数据库中 ${stored.students.length} 名\n`);
      process.stdout.write(`${describeProgress(pushCounts, expectFile.pushCount)}\n`);
      if (differences.length === 0) {
        process.stdout.write('一致: 没有差异 (no differences)\n');
        return;
      }
      process.stdout.write(`${formatDifferences(differences, options.maxShown)}\n共 ${differences.length} 处差异 (differences)\n`);
      process.exitCode = 1;
    });
}

/** Reads every stored student; the database modules load only here, so `--help` stays fast. */
async function readStoredState() {
  const { withStudentReader } = await import('../services.ts');
  return withStudentReader(async (reader) => ({ stored: await reader.readAll(), pushCounts: await reader.pushStatusCounts() }));
}

/** Describes how far processing got, because differences are expected while pushes are still queued. */
function describeProgress(counts: Record<string, number>, expectedPushes: number): string {
  const archived = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const byStatus = Object.entries(counts)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const line = `已归档推送 ${archived} 条 (${byStatus || '无'}), 期望文件对应 ${expectedPushes} 条不同推送`;
  const unfinished = (counts['RECEIVED'] ?? 0) + (counts['RETRYING'] ?? 0);
  if (archived < expectedPushes || unfinished > 0) return `${line}\n注意: 仍有推送未处理完, 差异可能是暂时的; 请等队列清空后再核对 (processing not finished)`;
  return line;
}
