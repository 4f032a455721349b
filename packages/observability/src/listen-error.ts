import type { Logger } from 'pino';

/** The address a process listens on, and the variables that set it, for messages that name the fix. */
export interface ListenAddress {
  host: string;
  port: number;
  hostVariable: string;
  portVariable: string;
}

/**
 * Describes why a server could not listen, in a line that names the variable to change, or
 * returns undefined for an error that is not about the address.
 */
export function describeListenError(error: unknown, address: ListenAddress): string | undefined {
  const where = `${address.host}:${address.port}`;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return `端口 ${where} 已被占用 (address in use): 请停止占用它的进程, 或把 ${address.portVariable} 改为空闲端口`;
    case 'EACCES':
      return `没有权限监听 ${where} (permission denied): 请把 ${address.portVariable} 改为 1024 以上的端口`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `本机没有地址 ${address.host} (address not available): 请检查 ${address.hostVariable}`;
    default:
      return undefined;
  }
}

/**
 * Runs `listen` and, when the address cannot be used, logs one fatal line naming the variable
 * to change and exits with status 1. Other errors are rethrown.
 */
export async function listenOrExit(listen: () => Promise<unknown>, address: ListenAddress, log: Logger): Promise<void> {
  try {
    await listen();
  } catch (error) {
    const message = describeListenError(error, address);
    if (message === undefined) throw error;
    log.fatal({ host: address.host, port: address.port, code: (error as NodeJS.ErrnoException).code }, message);
    process.exit(1);
  }
}
