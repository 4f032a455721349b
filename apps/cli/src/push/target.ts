import { SIGN_SCHEMES, type SignScheme } from '@student-sync/protocol';
import { readFile } from 'node:fs/promises';
import { CliUsageError } from '../cli-error.ts';
import { type PushTarget } from './signed-request.ts';

export const DEFAULT_PUSH_URL = 'http://127.0.0.1:8080/api/v1/student-changes';

/** Target options as the `push` and `simulate --send` commands take them. */
export interface TargetOptions {
  url?: string;
  appKey?: string;
  signKey?: string;
  scheme?: string;
  /** JSON file `{ "appKey", "signKey", "url", "scheme"? }`, such as the quickstart's .data/demo-client.json. */
  clientFile?: string;
}

interface ClientFile {
  appKey?: unknown;
  signKey?: unknown;
  url?: unknown;
  scheme?: unknown;
}

/** Resolves where and as whom to send; command-line options override the client file. */
export async function resolveTarget(options: TargetOptions): Promise<PushTarget> {
  const file = options.clientFile ? await readClientFile(options.clientFile) : {};
  const appKey = options.appKey ?? stringField(file, 'appKey');
  const signKey = options.signKey ?? stringField(file, 'signKey');
  if (!appKey) throw new CliUsageError(missingField('app-key', '--app-key', 'appKey', options.clientFile));
  if (!signKey) throw new CliUsageError(missingField('sign key', '--sign-key', 'signKey', options.clientFile));

  return {
    url: checkedUrl(options.url ?? stringField(file, 'url') ?? DEFAULT_PUSH_URL, options.url !== undefined ? '--url' : `客户端文件 ${options.clientFile} 中的 url`),
    appKey,
    signKey,
    scheme: parseScheme(options.scheme ?? stringField(file, 'scheme') ?? 'MD5'),
  };
}

/** Names what is missing and where it can come from, given whether a client file was read. */
function missingField(name: string, option: string, field: string, clientFile: string | undefined): string {
  if (clientFile) return `缺少 ${name}: 客户端文件 ${clientFile} 没有 "${field}" 字段, 请补上或用 ${option} 指定 (missing ${name})`;
  return `缺少 ${name}: 请用 ${option} 指定, 或用 --client-file 指定客户端文件 (missing ${name})`;
}

/** Accepts an absolute http or https URL, so a typo is reported before any push is sent. */
function checkedUrl(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliUsageError(`${source}: "${text}" 不是有效的 URL, 例如 ${DEFAULT_PUSH_URL} (invalid URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliUsageError(`${source}: "${text}" 必须以 http:// 或 https:// 开头 (URL must use http or https)`);
  }
  return text;
}

export function parseScheme(value: string): SignScheme {
  const scheme = value.toUpperCase() as SignScheme;
  if (!SIGN_SCHEMES.includes(scheme)) {
    throw new CliUsageError(`签名方式 ${value} 无效, 可选: ${SIGN_SCHEMES.join(', ')} (invalid sign scheme)`);
  }
  return scheme;
}

async function readClientFile(path: string): Promise<ClientFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`无法读取客户端文件 ${path}: ${(error as Error).message} (cannot read client file)`);
  }
  try {
    return JSON.parse(text) as ClientFile;
  } catch {
    throw new CliUsageError(`客户端文件 ${path} 不是有效的 JSON (invalid JSON)`);
  }
}

function stringField(file: ClientFile, field: keyof ClientFile): string | undefined {
  const value = file[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
