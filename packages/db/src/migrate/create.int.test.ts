import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseNameOf, dropDatabase } from './database-url.ts';
import { checkSchemaHasMigration, createMigration, migrationStatus } from './index.ts';
import { addToModel, copyPrismaFolder, databasesStartingWith, freshDatabaseUrl, type PrismaCopy } from './test-support.ts';

describe('createMigration', () => {
  const databaseUrl = freshDatabaseUrl();
  let prisma: PrismaCopy;
  let initialMigrations: string[];

  beforeAll(async () => {
    prisma = await copyPrismaFolder();
    initialMigrations = (await readdir(prisma.migrationsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    await addToModel(prisma.schemaPath, 'Student', 'nickname String? @map("nickname")');
  });

  afterAll(async () => {
    await dropDatabase(databaseUrl);
    await prisma.remove();
  });

  it('writes migration for schema change', async () => {
    const created = await createMigration(databaseUrl, 'add_nickname', prisma);

    expect(created.name).toMatch(/^\d{14}_add_nickname$/);
    expect(created.steps).toBe(1);
    expect(created.appliedFirst).toEqual(initialMigrations);
    const script = await readFile(created.scriptPath, 'utf8');
    expect(script).toContain('ALTER TABLE "students" ADD COLUMN     "nickname" TEXT');
  });

  it('leaves new migration unapplied', async () => {
    const status = await migrationStatus(databaseUrl, prisma);

    expect(status.applied).toEqual(initialMigrations);
    expect(status.pending).toHaveLength(1);
    expect(status.pending[0]).toMatch(/_add_nickname$/);
  });

  it('makes schema check pass', async () => {
    await expect(checkSchemaHasMigration(databaseUrl, prisma)).resolves.toBeUndefined();
  });

  it('writes postgresql lockfile', async () => {
    const lockfile = await readFile(`${prisma.migrationsDir}/migration_lock.toml`, 'utf8');

    expect(lockfile).toContain('provider = "postgresql"');
  });

  it('drops its shadow databases', async () => {
    expect(await databasesStartingWith(`${databaseNameOf(databaseUrl)}_`)).toEqual([]);
  });

  it('rejects path-like name', async () => {
    await expect(createMigration(databaseUrl, '../escape', prisma)).rejects.toThrow(/invalid migration name/);
  });
});
