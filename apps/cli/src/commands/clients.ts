import { type ClientStore, type ClientSummary } from '@student-sync/db/clients';
import { Command, Option } from 'commander';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliUsageError } from '../cli-error.ts';
import { DEFAULT_PUSH_URL, parseScheme } from '../push/target.ts';
import { textTable } from '../text-table.ts';
import { integerIn } from './option-parsers.ts';
import { formatBeijingTime } from './replay-time.ts';

export function clientsCommand(): Command {
  return new Command('clients')
    .summary('管理推送方客户端 (app-key 与签名密钥) (manage API clients)')
    .description('管理可以推送变更的客户端: 每个客户端有一个 app-key 和一个签名密钥 (sign key), 密钥加密保存, 只在生成时显示一次.')
    .addCommand(addCommand())
    .addCommand(listCommand())
    .addCommand(disableCommand())
    .addCommand(enableCommand())
    .addCommand(rotateKeyCommand());
}

function addCommand(): Command {
  return new Command('add')
    .description('新建客户端并生成签名密钥; 密钥只显示这一次 (create a client; the sign key is shown once)')
    .argument('<appKey>', 'app-key: 1-64 个字母, 数字, _, . 或 -')
    .option('--name <name>', '客户端名称, 如 "E付通 生产环境" (display name); 默认同 app-key')
    .addOption(new Option('--scheme <scheme>', '签名方式 (sign scheme)').choices(['MD5', 'HMAC_SHA256', 'HMAC_SM3']).default('MD5'))
    .option('--save <file>', '把 { appKey, signKey, url } 写入此文件 (权限 0600), 供 push --client-file 使用')
    .option('--url <url>', '写入 --save 文件的接收地址 (ingress URL)', DEFAULT_PUSH_URL)
    .action(async (appKey: string, options: { name?: string; scheme: string; save?: string; url: string }) => {
      const scheme = parseScheme(options.scheme);
      const issued = await withStore((store) => store.createClient({ appKey, name: options.name ?? appKey, scheme }));
      process.stdout.write(
        `已创建客户端 (client created)\n  app-key:  ${issued.appKey}\n  签名方式: ${issued.scheme}\n  sign key: ${issued.signKey}\n` +
          '请立即把 sign key 配置到推送方; 它不会再次显示 (the sign key is not shown again).\n',
      );
      if (options.save) {
        await saveClientFile(options.save, { appKey: issued.appKey, signKey: issued.signKey, url: options.url, scheme: issued.scheme });
        process.stdout.write(`客户端文件已写入 ${options.save} (client file written)\n`);
      }
    });
}

function listCommand(): Command {
  return new Command('list').description('列出所有客户端, 不含密钥 (list clients, without keys)').action(async () => {
    const clients = await withStore((store) => store.listClients());
    if (clients.length === 0) {
      process.stdout.write('还没有客户端; 用 clients add <appKey> 创建 (no clients yet)\n');
      return;
    }
    process.stdout.write(`${formatClients(clients)}\n`);
  });
}

function disableCommand(): Command {
  return new Command('disable')
    .description('停用客户端: 其推送将以 1002 拒绝 (disable a client; its pushes get 1002)')
    .argument('<appKey>', 'app-key')
    .action(async (appKey: string) => {
      await withStore((store) => store.disableClient(appKey));
      process.stdout.write(`已停用 ${appKey} (disabled)\n`);
    });
}

function enableCommand(): Command {
  return new Command('enable')
    .description('重新启用已停用的客户端 (enable a disabled client)')
    .argument('<appKey>', 'app-key')
    .action(async (appKey: string) => {
      await withStore((store) => store.enableClient(appKey));
      process.stdout.write(`已启用 ${appKey} (enabled)\n`);
    });
}

function rotateKeyCommand(): Command {
  return new Command('rotate-key')
    .description('生成新签名密钥; 旧密钥在宽限期内仍可验签 (rotate the sign key; the old one verifies during the grace period)')
    .argument('<appKey>', 'app-key')
    .addOption(new Option('--grace-minutes <n>', '旧密钥继续有效的分钟数, 0 表示立即失效 (grace period, minutes)').argParser(integerIn(0, 43_200)).default(60))
    .option('--save <file>', '把新密钥和签名方式写入此客户端文件 (权限 0600), 保留其中的 url, 新文件写入默认 url (update a client file)')
    .action(async (appKey: string, options: { graceMinutes: number; save?: string }) => {
      const rotated = await withStore((store) => store.rotateClientKey(appKey, { graceMs: options.graceMinutes * 60_000 }));
      const expiry = rotated.previousKeyExpiresAt
        ? `旧密钥有效至 ${formatBeijingTime(rotated.previousKeyExpiresAt)} (北京时间), 请在此之前把新密钥配置到推送方`
        : '旧密钥已立即失效, 请立即把新密钥配置到推送方';
      process.stdout.write(
        `已轮换 ${rotated.appKey} 的签名密钥 (key rotated)\n  新 sign key: ${rotated.signKey}\n  ${expiry}\n` +
          '新密钥不会再次显示 (the new key is not shown again).\n',
      );
      if (options.save) {
        const previous = await readClientFileIfAny(options.save);
        await saveClientFile(options.save, { url: DEFAULT_PUSH_URL, ...previous, appKey: rotated.appKey, signKey: rotated.signKey, scheme: rotated.scheme });
        process.stdout.write(`客户端文件已更新 ${options.save} (client file updated)\n`);
      }
    });
}

/** Formats the client list as a table, times in Beijing time like the batch and replay commands. */
export function formatClients(clients: ClientSummary[]): string {
  const header = ['app-key', '状态', '签名方式', '密钥轮换时间 (北京时间)', '创建时间 (北京时间)', '名称'];
  const rows = clients.map((client) => [
    client.appKey,
    client.enabled ? '启用' : '停用',
    client.scheme,
    client.keyRotatedAt ? formatBeijingTime(client.keyRotatedAt) : '-',
    formatBeijingTime(client.createdAt),
    client.name,
  ]);
  return textTable([header, ...rows]).join('\n');
}

async function readClientFileIfAny(file: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

async function saveClientFile(file: string, content: Record<string, string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
}

/** Runs `action` with a client store; the database modules load only here, so `--help` stays fast. */
async function withStore<T>(action: (store: ClientStore) => Promise<T>): Promise<T> {
  const [{ withClientStore }, { ClientStoreError }] = await Promise.all([import('../services.ts'), import('@student-sync/db/clients')]);
  try {
    return await withClientStore(action);
  } catch (error) {
    // The store's own errors (unknown or duplicate app-key, bad name) are the operator's to fix.
    if (error instanceof ClientStoreError) throw new CliUsageError(error.message, { cause: error });
    throw error;
  }
}
