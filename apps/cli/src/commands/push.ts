import { Command } from 'commander';
import { readPushBodies } from '../push/read-bodies.ts';
import { runSend, sendExitCode } from '../push/run-send.ts';
import { type SenderOptions, senderOptions } from './option-parsers.ts';

export function pushCommand(): Command {
  const command = new Command('push')
    .summary('签名并发送推送 (send signed pushes)')
    .description(
      '读取一个 JSON 推送, 或每行一个推送的 NDJSON, 按收费平台的方式签名后发送到接收服务, 校验响应签名并按响应码汇总.\n' +
        '遇到 1003/3001/3002/3003/9999 或网络错误时按指数退避重发.\n' +
        'Reads one JSON push or NDJSON, signs each like the fee platform and sends it; exits 1 unless all are accepted.',
    )
    .argument('<file>', '推送文件; 用 - 表示标准输入 (file, or - for stdin)');
  for (const option of senderOptions()) command.addOption(option);

  return command.action(async (file: string, options: SenderOptions) => {
    const bodies = await readPushBodies(file);
    const summary = await runSend(bodies, options);
    process.exitCode = sendExitCode(summary);
  });
}
