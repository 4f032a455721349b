import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase } from './database-url.ts';
import { MigrationsNotCurrentError } from './errors.ts';
import { assertMigrationsCurrent, migrateDeploy, migrationStatus } from './index.ts';
import { readMigrationList, migrationNames } from './migrations-dir.ts';
import { defaultMigrationsDir } from './paths.ts';
import { copyPrismaFolder, freshDatabaseUrl, queryRows, type PrismaCopy } from './test-support.ts';

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  started_at: Date;
}

const MIGRATION_ROWS_SQL = 'SELECT * FROM _prisma_migrations ORDER BY started_at';

async function repositoryMigrations(): Promise<string[]> {
  return migrationNames(await readMigrationList(defaultMigrationsDir));
}

describe('migrateDeploy on an empty database', () => {
  const databaseUrl = freshDatabaseUrl();

  afterAll(() => dropDatabase(databaseUrl));

  it('creates database, applies all', async () => {
    const result = await migrateDeploy(databaseUrl);

    expect(result.createdDatabase).toBe(true);
    expect(result.applied).toEqual(await repositoryMigrations());
    const tables = await queryRows<{ table_name: string }>(
      databaseUrl,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      '_prisma_migrations',
      'api_clients',
      'push_archive',
      'student_aliases',
      'student_changes',
      'students',
    ]);
  });

  it('records checksums like Prisma CLI', async () => {
    const rows = await queryRows<MigrationRow>(databaseUrl, MIGRATION_ROWS_SQL);
    const names = await repositoryMigrations();

    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const script = await readFile(path.join(defaultMigrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(script).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('second deploy is no-op', async () => {
    const before = await queryRows<MigrationRow>(databaseUrl, MIGRATION_ROWS_SQL);

    const result = await migrateDeploy(databaseUrl);

    expect(result).toEqual({ createdDatabase: false, applied: [], modified: [] });
    expect(await queryRows<MigrationRow>(databaseUrl, MIGRATION_ROWS_SQL)).toEqual(before);
  });

  it('status shows all applied', async () => {
    const status = await migrationStatus(databaseUrl);

    expect(status.applied).toEqual(await repositoryMigrations());
    expect(status.pending).toEqual([]);
    expect(status.failed).toEqual([]);
    await expect(assertMigrationsCurrent(databaseUrl)).resolves.toMatchObject({ pending: [] });
  });
});

describe('migrateDeploy with a new migration', () => {
  const databaseUrl = freshDatabaseUrl();
  let prisma: PrismaCopy;

  beforeAll(async () => {
    prisma = await copyPrismaFolder();
    await migrateDeploy(databaseUrl, prisma);
  });

  afterAll(async () => {
    await dropDatabase(databaseUrl);
    await prisma.remove();
  });

  // The function body contains semicolons, so this fails unless the script reaches PostgreSQL whole.
  const probeMigration = `
CREATE TABLE "probe" ("id" INTEGER NOT NULL, "note" TEXT NOT NULL);
CREATE FUNCTION probe_note() RETURNS TEXT LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'one; two';
END;
$$;
INSERT INTO "probe" VALUES (1, probe_note());
`;

  it('status reports pending migration', async () => {
    await prisma.addMigration('29990101000000_add_probe', probeMigration);

    const status = await migrationStatus(databaseUrl, prisma);

    expect(status.pending).toEqual(['29990101000000_add_probe']);
    const failure = await assertMigrationsCurrent(databaseUrl, prisma).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationsNotCurrentError);
    expect((failure as Error).message).toContain('29990101000000_add_probe');
    expect((failure as Error).message).toContain('npm run db:migrate');
  });

  it('deploy applies pending migration', async () => {
    const result = await migrateDeploy(databaseUrl, prisma);

    expect(result.applied).toEqual(['29990101000000_add_probe']);
    expect(await queryRows(databaseUrl, 'SELECT id, note FROM probe')).toEqual([{ id: 1, note: 'one; two' }]);
    expect((await migrationStatus(databaseUrl, prisma)).pending).toEqual([]);
  });

  it('status reports edited migration', async () => {
    const script = path.join(prisma.migrationsDir, '29990101000000_add_probe', 'migration.sql');
    await writeFile(script, `${probeMigration}-- edited\n`);

    const status = await migrationStatus(databaseUrl, prisma);

    expect(status.modified).toEqual(['29990101000000_add_probe']);
    expect(status.pending).toEqual([]);
  });

  it('failed migration stops deploy', async () => {
    await prisma.addMigration('29990102000000_broken', 'ALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;');
    await prisma.addMigration('29990103000000_after_broken', 'CREATE TABLE "after_broken" ("id" INTEGER);');

    await expect(migrateDeploy(databaseUrl, prisma)).rejects.toThrow(/no_such_table/);

    const status = await migrationStatus(databaseUrl, prisma);
    expect(status.failed).toEqual(['29990102000000_broken']);
    expect(status.pending).toContain('29990103000000_after_broken');
    await expect(assertMigrationsCurrent(databaseUrl, prisma)).rejects.toThrow(/29990102000000_broken/);
  });
});

describe('migrationStatus of a missing database', () => {
  it('reports all migrations pending', async () => {
    const databaseUrl = freshDatabaseUrl();

    const status = await migrationStatus(databaseUrl);

    expect(status.databaseExists).toBe(false);
    expect(status.pending).toEqual(await repositoryMigrations());
    await expect(assertMigrationsCurrent(databaseUrl)).rejects.toThrow(/npm run db:migrate/);
  });
});

describe('concurrent migrateDeploy calls', () => {
  const databaseUrl = freshDatabaseUrl();

  afterAll(() => dropDatabase(databaseUrl));

  it('apply each migration once', async () => {
    const results = await Promise.all([migrateDeploy(databaseUrl), migrateDeploy(databaseUrl), migrateDeploy(databaseUrl)]);

    const names = await repositoryMigrations();
    expect(results.flatMap((result) => result.applied).sort()).toEqual(names);
    expect(results.filter((result) => result.createdDatabase)).toHaveLength(1);
    const rows = await queryRows<MigrationRow>(databaseUrl, MIGRATION_ROWS_SQL);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
  });
});
