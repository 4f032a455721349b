import { Command } from 'commander';
import { localizeCommanderError } from './commander-errors.ts';
import { batchCommand, batchesCommand } from './commands/batch.ts';
import { redriveCommand } from './commands/batch-redrive.ts';
import { clientsCommand } from './commands/clients.ts';
import { migrateCommand } from './commands/migrate.ts';
import { pushCommand } from './commands/push.ts';
import { replayCommand } from './commands/replay.ts';
import { simulateCommand } from './commands/simulate.ts';
import { verifyCommand } from './commands/verify.ts';

/** Builds the `student-sync` command tree; `main.ts` parses the arguments with it. */
export function buildProgram(): Command {
  const program = new Command('student-sync')
    .description(
      'student-sync 运维命令行: 客户端 (app-key) 管理, 数据库迁移, 签名发送推送, 变更流模拟与结果核对.\n' +
        'Operator CLI of student-sync: clients, migrations, signed sender, change-stream simulator, verification.',
    )
    .addCommand(clientsCommand())
    .addCommand(migrateCommand())
    .addCommand(pushCommand())
    .addCommand(simulateCommand())
    .addCommand(verifyCommand())
    .addCommand(replayCommand())
    .addCommand(redriveCommand())
    .addCommand(batchCommand())
    .addCommand(batchesCommand());
  localizeHelp(program);
  return program;
}

/** Chinese headings of commander's help sections, with the English word kept. */
const HELP_TITLES: Record<string, string> = {
  'Usage:': '用法 (Usage):',
  'Arguments:': '参数 (Arguments):',
  'Options:': '选项 (Options):',
  'Global Options:': '全局选项 (Global Options):',
  'Commands:': '命令 (Commands):',
};

/** Writes commander's own help texts in Chinese on every command; `addCommand` does not pass them down. */
function localizeHelp(command: Command): void {
  command
    .helpOption('-h, --help', '显示帮助 (show help)')
    .showHelpAfterError('(用 --help 查看用法)')
    .configureOutput({ outputError: (text, write) => write(localizeCommanderError(text)) })
    // Usage errors exit with 2, like the CLI's own usage errors; help and version exit with 0.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .configureHelp({
      styleTitle: (title) => HELP_TITLES[title] ?? title,
      optionDescription: (option) => {
        const defaultText = option.defaultValue === undefined || option.negate ? '' : ` (默认: ${String(option.defaultValue)})`;
        const choices = option.argChoices ? ` (可选: ${option.argChoices.join(', ')})` : '';
        return `${option.description}${choices}${defaultText}`;
      },
    });
  if (command.commands.length > 0) command.helpCommand('help [command]', '显示命令的帮助 (show help for a command)');
  for (const sub of command.commands) localizeHelp(sub);
}
