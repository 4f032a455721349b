import { Command, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { runSend, sendExitCode } from '../push/run-send.ts';
import { DEFAULT_DELIVERY_OPTIONS } from '../simulate/deliveries.ts';
import { writeExpectFile } from '../simulate/expect-file.ts';
import { simulate } from '../simulate/simulate.ts';
import { integerIn, numberIn, type SenderOptions, senderOptions } from './option-parsers.ts';

interface SimulateOptions extends SenderOptions {
  students: number;
  seed?: string;
  year: number;
  resendRatio: number;
  delayRatio: number;
  out?: string;
  expect?: string;
  send?: boolean;
}

/**
 * Upper bound of --students. The stream and the expected state are built in memory:
 * 50,000 students took about 0.5 GB RSS (Node 20, 2-core Linux VM, `simulate --out --expect`).
 */
const MAX_STUDENTS = 100_000;

/** Default --rate of `simulate --send`, in requests per second. */
const DEFAULT_SEND_RATE = 200;

export function simulateCommand(): Command {
  const command = new Command('simulate')
    .summary('生成真实感的学生变更推送流 (generate a realistic change stream)')
    .description(
      '生成一批学生 (姓名, 身份证号, 考生号, 银行卡号, 班级, 学籍状态) 和一个学年的变更: 新生 ADD, 开学调班, 转专业改学号,\n' +
        '换银行卡, 休学/复学, 退学, 毕业; 按批次号 (bg_pch) 分组, 含少量原样重发和乱序送达. 同一 --seed 得到相同字节.\n' +
        '输出 NDJSON 到标准输出或 --out, 或用 --send 直接发送; --expect 写出应得的最终状态 (含明文身份证号和银行卡号, 仅限本机).',
    )
    .addOption(
      new Option('--students <n>', `学生人数, 最多 ${MAX_STUDENTS}; 整个变更流在内存中生成, 5 万名学生约占 0.5 GB (number of students)`)
        .argParser(integerIn(1, MAX_STUDENTS))
        .default(1000),
    )
    .addOption(new Option('--seed <text>', '随机种子; 默认随机生成并打印 (random seed)'))
    .addOption(new Option('--year <yyyy>', '模拟学年的秋季学期年份 (autumn term year)').argParser(integerIn(2000, 2099)).default(2025))
    .addOption(
      new Option('--resend-ratio <r>', '原样重发的比例 (share of exact resends)').argParser(numberIn(0, 1)).default(DEFAULT_DELIVERY_OPTIONS.resendRatio),
    )
    .addOption(
      new Option('--delay-ratio <r>', '延迟送达 (乱序) 的比例 (share of late deliveries)').argParser(numberIn(0, 1)).default(DEFAULT_DELIVERY_OPTIONS.delayRatio),
    )
    .addOption(new Option('--out <file>', '把 NDJSON 写入文件而不是标准输出 (output file)'))
    .addOption(new Option('--expect <file>', '写出期望的最终状态 (expected final state file)'))
    .addOption(new Option('--send', '直接签名发送到接收服务, 不再向标准输出写 NDJSON (send to the ingress)'));
  for (const option of senderOptions(DEFAULT_SEND_RATE)) command.addOption(option);

  return command.action(async (options: SimulateOptions) => {
    const seed = options.seed ?? randomBytes(4).toString('hex');
    const simulation = simulate({ ...DEFAULT_DELIVERY_OPTIONS, ...options, seed, studentCount: options.students });
    process.stderr.write(
      `种子 (seed) ${seed}: ${options.students} 名学生, ${simulation.pushCount} 条推送, ` +
        `送达 ${simulation.deliveries.length} 次 (含模拟平台原样重发 ${simulation.deliveries.length - simulation.pushCount} 次)\n`,
    );

    if (options.expect) {
      await writeExpectFile(options.expect, { seed, pushCount: simulation.pushCount, deliveryCount: simulation.deliveries.length, students: simulation.expected });
      process.stderr.write(`期望状态已写入 ${options.expect} (${simulation.expected.length} 名学生)\n`);
    }

    const ndjson = simulation.deliveries.map((body) => `${body}\n`).join('');
    if (options.out) await writeFile(options.out, ndjson);
    if (options.send) {
      const summary = await runSend(simulation.deliveries.map((body) => Buffer.from(body, 'utf8')), options);
      process.exitCode = sendExitCode(summary);
    } else if (!options.out) {
      process.stdout.write(ndjson);
    }
  });
}
