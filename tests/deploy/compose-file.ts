import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: string | number; host_ip?: string }>;
  container_name?: string;
  depends_on?: string[] | Record<string, { condition?: string }>;
  profiles?: string[];
  volumes?: string[];
  healthcheck?: { test?: string | string[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses docker-compose.yml as written, before compose substitutes any ${VARIABLE}. */
export function loadComposeFile(): ComposeFile {
  const text = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
  // Compose resolves YAML 1.1 merge keys (`<<: *anchor`), which the yaml package leaves off by default.
  return parse(text, { merge: true }) as ComposeFile;
}

/** Returns a service's environment as name -> raw value, from either the map or the list form. */
export function environmentOf(service: ComposeService): Map<string, string> {
  const environment = new Map<string, string>();
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const equals = entry.indexOf('=');
      if (equals === -1) environment.set(entry, '');
      else environment.set(entry.slice(0, equals), entry.slice(equals + 1));
    }
    return environment;
  }
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    environment.set(name, value === null ? '' : String(value));
  }
  return environment;
}

/** Splits a compose `command` or `entrypoint` into arguments. The string form splits on spaces. */
export function argumentsOf(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : value.trim().split(/\s+/);
}

/**
 * Returns whether a raw compose value gives the variable a non-empty value: a literal, or a
 * substitution that is required (`${X:?message}`) or has a non-empty default (`${X:-value}`).
 */
export function providesValue(raw: string): boolean {
  if (raw.trim() === '') return false;
  const substitution = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?<operator>:?[-?])?(?<rest>.*)\}$/.exec(raw);
  if (!substitution) return true;
  const operator = substitution.groups?.operator;
  if (operator === undefined) return false;
  if (operator.endsWith('?')) return true;
  return (substitution.groups?.rest ?? '') !== '';
}

/** Returns whether a raw compose value is `${NAME:?message}`, so compose stops while NAME is unset. */
export function isRequiredSubstitution(raw: string, name: string): boolean {
  return raw.startsWith(`\${${name}:?`) && raw.endsWith('}');
}

export interface PortMapping {
  hostIp: string | undefined;
  published: string | undefined;
  target: number;
}

/** Parses the short (`[ip:]host:container[/protocol]`) and the long port syntax. */
export function parsePort(port: string | { target: number; published?: string | number; host_ip?: string }): PortMapping {
  if (typeof port !== 'string') {
    return { hostIp: port.host_ip, published: port.published?.toString(), target: port.target };
  }
  const withoutProtocol = port.replace(/\/(tcp|udp)$/, '');
  const parts = splitOutsideBraces(withoutProtocol);
  const target = Number(parts.at(-1));
  if (parts.length === 3) return { hostIp: parts[0], published: parts[1], target };
  if (parts.length === 2) return { hostIp: undefined, published: parts[0], target };
  return { hostIp: undefined, published: undefined, target };
}

/** Splits on ':' except inside `${...}`, whose defaults contain colons of their own. */
function splitOutsideBraces(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (char === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** Resolves a raw compose value the way compose would with no variables set. */
export function resolveWithDefaults(raw: string): string {
  return raw.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (_match, fallback: string | undefined) => fallback ?? '');
}
