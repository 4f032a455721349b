import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { driverAdapterCause } from '@student-sync/db/driver-fault';

/**
 * An operator mistake (a missing option, an unreadable file) that the CLI reports as one
 * line without a stack trace, exiting with status 2.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * A failure of a service the CLI depends on (Redis, PostgreSQL), already described for the
 * operator. The CLI prints its message and cause without a stack trace and exits with status 1.
 */
export class CliServiceError extends Error {
  override readonly name = 'CliServiceError';
}

/**
 * Describes a Prisma error for the operator in one or two lines, or returns undefined for any
 * other error. Connection and database problems name DATABASE_URL and the fix.
 */
export function describeDatabaseFault(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.name.startsWith('PrismaClient')) return undefined;
  const cause = driverAdapterCause(error);
  switch (cause?.kind) {
    case 'DatabaseNotReachable':
      return `无法连接 PostgreSQL ${cause.host ?? ''}:${cause.port ?? ''} (database server not reachable). 请确认 PostgreSQL 在运行, 并检查 DATABASE_URL`;
    case 'DatabaseDoesNotExist':
      return `数据库 ${cause.db ?? ''} 不存在 (database does not exist). 请检查 DATABASE_URL, 或运行 npm run db:migrate 创建数据库并执行迁移`;
    case 'AuthenticationFailed':
    case 'DatabaseAccessDenied':
      return `数据库拒绝登录 (database authentication failed). 请检查 DATABASE_URL 中的用户名和密码`;
    default: {
      // Prisma's message starts with the call site, and its last line is the database's own error.
      const lines = error.message.split('\n').filter((line) => line.trim() !== '');
      return `数据库操作失败 (database request failed): ${lines[lines.length - 1]?.trim() ?? error.name}`;
    }
  }
}

/** Describes a failed read or write of a file the operator named, or returns undefined for other errors. */
export function describeFileFault(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof path !== 'string') return undefined;
  switch (code) {
    case 'ENOENT': {
      const folder = dirname(path);
      return existsSync(folder) ? `文件不存在 (file not found): ${path}` : `目录不存在, 请先创建 (folder not found, create it first): ${folder}`;
    }
    case 'EACCES':
    case 'EPERM':
      return `没有权限读写这个文件 (permission denied): ${path}`;
    case 'EISDIR':
      return `这是一个目录, 请给出文件路径 (a folder, give a file path): ${path}`;
    case 'ENOTDIR':
      return `路径中有一段不是目录 (a part of the path is not a folder): ${path}`;
    default:
      return undefined;
  }
}
