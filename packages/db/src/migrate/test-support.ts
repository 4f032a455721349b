import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import '../../../../tests/support/provided.ts';
import { withDatabase } from './database-url.ts';
import { defaultMigrationsDir, defaultSchemaPath } from './paths.ts';

/** Returns a URL for a database that does not exist yet, named `student_sync_t_<random>`. */
export function freshDatabaseUrl(): string {
  return withDatabase(inject('testPostgresUrl'), `student_sync_t_${randomBytes(6).toString('hex')}`);
}

/** A copy of prisma/ in a temporary folder, so tests can add migrations or edit the schema. */
export interface PrismaCopy {
  schemaPath: string;
  migrationsDir: string;
  addMigration(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}

export async function copyPrismaFolder(): Promise<PrismaCopy> {
  const root = await mkdtemp(path.join(tmpdir(), 'student-sync-prisma-'));
  const schemaPath = path.join(root, 'schema.prisma');
  const migrationsDir = path.join(root, 'migrations');
  await cp(defaultSchemaPath, schemaPath);
  await cp(defaultMigrationsDir, migrationsDir, { recursive: true });

  return {
    schemaPath,
    migrationsDir,
    async addMigration(name, sql) {
      await mkdir(path.join(migrationsDir, name));
      await writeFile(path.join(migrationsDir, name, 'migration.sql'), sql);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Appends `text` inside the body of `model` in a schema file. */
export async function addToModel(schemaPath: string, model: string, text: string): Promise<void> {
  const schema = await readFile(schemaPath, 'utf8');
  const header = `model ${model} {\n`;
  if (!schema.includes(header)) throw new Error(`model ${model} not found in ${schemaPath}`);
  await writeFile(schemaPath, schema.replace(header, `${header}  ${text}\n`));
}

/** Names of the databases on the test server that start with `prefix`. */
export async function databasesStartingWith(prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: inject('testPostgresUrl') });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
      [prefix],
    );
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

export async function queryRows<T extends pg.QueryResultRow>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
