import { existsSync } from 'node:fs';
import path from 'node:path';
import { Kind, type TObject } from '@sinclair/typebox';
import { repoRoot } from './compose-file.ts';

export const configSourceDir = path.join(repoRoot, 'packages', 'config', 'src');

/** The variables one process reads: name -> field schema, and the names it requires. */
export interface ProcessEnv {
  properties: Record<string, { default?: unknown }>;
  required: Set<string>;
}

/**
 * Imports packages/config/src/<file> and merges the TypeBox object schemas it exports. A
 * process with one schema exports one. The CLI exports one per command, and its container
 * must satisfy all of them.
 */
export async function loadProcessEnv(file: string): Promise<ProcessEnv> {
  const modulePath = path.join(configSourceDir, file);
  if (!existsSync(modulePath)) throw new Error(`env schema file not found: packages/config/src/${file}`);

  const schemas = (Object.values(await import(modulePath)) as unknown[]).filter(isObjectSchema);
  if (schemas.length === 0) throw new Error(`packages/config/src/${file} exports no TypeBox object schema`);

  const merged: ProcessEnv = { properties: {}, required: new Set() };
  for (const schema of schemas) {
    Object.assign(merged.properties, schema.properties);
    for (const name of schema.required ?? []) merged.required.add(name);
  }
  return merged;
}

function isObjectSchema(value: unknown): value is TObject {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[Kind] === 'Object';
}

/** Names of the variables that are required and have no default, so the environment must set them. */
export function requiredWithoutDefault(env: ProcessEnv): string[] {
  return Object.entries(env.properties)
    .filter(([name, field]) => env.required.has(name) && field.default === undefined)
    .map(([name]) => name);
}

/** Returns the default of one variable, or undefined when it has none. */
export function defaultOf(env: ProcessEnv, name: string): unknown {
  return env.properties[name]?.default;
}
