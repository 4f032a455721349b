import type { AppSpec } from './app-processes.ts';

export interface NextStepsInput {
  ingressUrl: string;
  /** Root of the admin console, such as http://127.0.0.1:8081/admin. Bull Board is below it, at /queues. */
  adminUrl: string;
  clientFile: string;
  started: string[];
  missing: AppSpec[];
}

/** Lines printed once everything runs: what started, what did not, and the first commands to try. */
export function nextStepsText(input: NextStepsInput): string {
  const lines = [
    '',
    `student-sync 已启动 (student-sync is running): ${input.started.join(', ')}`,
    `  接收地址 (ingress URL): ${input.ingressUrl}`,
    `  演示客户端 (demo client): app-key demo, 签名密钥保存在 (sign key stored in) ${input.clientFile}`,
  ];
  if (input.started.includes('admin')) {
    lines.push(`  管理后台 (admin console): ${input.adminUrl} (批次与死信 batches and dead letters), ${input.adminUrl}/queues (Bull Board), 用户名和密码见 .env 中的 ADMIN_USERNAME / ADMIN_PASSWORD (user name and password in .env)`);
  }
  for (const app of input.missing) {
    lines.push(`  未启动 ${app.name}: ${app.entry} 不存在 (${app.name} not started: ${app.entry} does not exist)`);
  }
  lines.push(
    '',
    '推送收费平台文档中的示例 (push the fee platform\'s documented example):',
    `  npx student-sync push examples/platform-example.json --client-file ${input.clientFile}`,
    '发送模拟的变更流并写出预期状态 (send a simulated change stream and write its expected state):',
    `  npx student-sync simulate --students 500 --send --expect .data/expected.json --client-file ${input.clientFile}`,
    '处理完成后与数据库比对 (once applied, compare the database with it):',
    '  npx student-sync verify --expect .data/expected.json --allow-extra',
    '',
    '按 Ctrl-C 停止全部进程 (press Ctrl-C to stop everything)',
    '',
  );
  return lines.join('\n');
}
