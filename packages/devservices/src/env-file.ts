import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { repoRoot } from './url.ts';

export const envFilePath = path.join(repoRoot, '.env');

/**
 * Loads `<repo>/.env` into process.env when it exists. Variables already set in the
 * environment win, so `REDIS_URL=... npm start` overrides the file.
 */
export function loadEnvFile(file = envFilePath): boolean {
  if (!existsSync(file)) return false;
  dotenv.config({ path: file, quiet: true, override: false });
  return true;
}

/** Variables filled with fresh keys when `.env` is written from `.env.example`. */
const KEY_GENERATORS: Record<string, () => string> = {
  PII_ENCRYPTION_KEYS: () => `k1:${randomBytes(32).toString('base64')}`,
  PII_HASH_KEY: () => randomBytes(32).toString('base64'),
};

/** Empty secrets other than the keys above (an admin password, say) get a random value too. */
const SECRET_NAME = /(_PASSWORD|_SECRET|_TOKEN)$/;

/**
 * Writes `.env` from `.env.example`, filling empty key and secret variables with fresh random
 * values. Never overwrites: returns false when `.env` already exists.
 */
export function writeEnvFileFromExample(examplePath: string, envPath = envFilePath): boolean {
  if (existsSync(envPath)) return false;
  const lines = readFileSync(examplePath, 'utf8').split('\n').map(fillSecret);
  try {
    // `wx` fails if the file appeared meanwhile, so a concurrent start cannot clobber it.
    writeFileSync(envPath, lines.join('\n'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  return true;
}

function fillSecret(line: string): string {
  const match = /^([A-Z][A-Z0-9_]*)=\s*$/.exec(line);
  if (!match) return line;
  const name = match[1]!;
  const generate = KEY_GENERATORS[name] ?? (SECRET_NAME.test(name) ? () => randomBytes(24).toString('base64url') : undefined);
  return generate ? `${name}=${generate()}` : line;
}
