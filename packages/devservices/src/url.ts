import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's place in packages/devservices/src. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Folder for the data of services started here (`.data/redis-<port>`, `.data/postgres-<port>`); git ignores it. */
export const defaultDataRoot = path.join(repoRoot, '.data');

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

/** True for localhost, ::1 and any 127.0.0.0/8 address: the only hosts a local service may be started for. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Returns the URL with its password replaced by `***`, for logs and messages. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Returns the port of a URL, or `defaultPort` when the URL names none. */
export function portOf(url: URL, defaultPort: number): number {
  return url.port ? Number(url.port) : defaultPort;
}

/** Returns the database name in a postgresql:// URL's path, or undefined when the path is empty. */
export function databaseNameOf(url: URL): string | undefined {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return name === '' ? undefined : name;
}

/** Returns a copy of a postgresql:// URL that names another database on the same server. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
