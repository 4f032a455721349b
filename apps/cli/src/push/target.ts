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
  if (!appKey) throw new CliUsageError('缺少 app-key: 请用 --app-key 指定, 或用 --client-file 指定客户端文件 (missing app-key)');
  if (!signKey) throw new CliUsageError('缺少 sign key: 请用 --sign-key 指定, 或用 --client-file 指定客户端文件 (missing sign key)');

  return {
    url: options.url ?? stringField(file, 'url') ?? DEFAULT_PUSH_URL,
    appKey,
    signKey,
    scheme: parseScheme(options.scheme ?? stringField(file, 'scheme') ?? 'MD5'),
  };
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
