import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as config from '@student-sync/config';
import { repoRoot } from './url.ts';

type ObjectSchema = { type: 'object'; properties: Record<string, { default?: unknown }> };

function isObjectSchema(value: unknown): value is ObjectSchema {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'object' && 'properties' in value;
}

/** Collects every variable of the env schemas in @student-sync/config with its defaults, which may differ per process. */
function schemaVariables(): Map<string, Set<string>> {
  const variables = new Map<string, Set<string>>();
  for (const value of Object.values(config)) {
    if (!isObjectSchema(value)) continue;
    for (const [name, field] of Object.entries(value.properties)) {
      const defaults = variables.get(name) ?? new Set<string>();
      if (field.default !== undefined) defaults.add(String(field.default));
      variables.set(name, defaults);
    }
  }
  return variables;
}

/** Reads the variables of .env.example, set or commented out (`# NAME=value`), with their values. */
function exampleVariables(): Map<string, string> {
  const text = readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
  const entries = [...text.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1]!, match[2]!] as const);
  return new Map(entries);
}

describe('.env.example', () => {
  const example = exampleVariables();

  it.each([...schemaVariables()])('lists %s with a default the code uses', (name, defaults) => {
    expect(example.has(name)).toBe(true);
    if (defaults.size > 0) expect([...defaults]).toContain(example.get(name));
  });

  it('leaves the keys empty for npm start to fill', () => {
    expect(example.get('PII_ENCRYPTION_KEYS')).toBe('');
    expect(example.get('PII_HASH_KEY')).toBe('');
  });
});
