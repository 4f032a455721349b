import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseNameOf } from './database-url.ts';
import { SchemaWithoutMigrationError } from './errors.ts';
import { checkSchemaHasMigration } from './index.ts';
import { addToModel, copyPrismaFolder, databasesStartingWith, freshDatabaseUrl, type PrismaCopy } from './test-support.ts';

describe('checkSchemaHasMigration', () => {
  // The database in this URL is never created. The check names its throwaway databases after it.
  const serverUrl = freshDatabaseUrl();
  let prisma: PrismaCopy;

  beforeEach(async () => {
    prisma = await copyPrismaFolder();
  });

  afterEach(async () => {
    await prisma.remove();
  });

  it('passes on repository schema', async () => {
    await expect(checkSchemaHasMigration(serverUrl)).resolves.toBeUndefined();
  });

  it('fails on unmigrated field', async () => {
    await addToModel(prisma.schemaPath, 'Student', 'nickname String? @map("nickname")');

    const failure = await checkSchemaHasMigration(serverUrl, prisma).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SchemaWithoutMigrationError);
    expect((failure as SchemaWithoutMigrationError).diff).toContain('students');
    expect((failure as SchemaWithoutMigrationError).diff).toContain('nickname');
    expect((failure as Error).message).toContain('npm run db:migrate:create');
  });

  it('fails without any migration', async () => {
    const empty = await copyPrismaFolder();
    await empty.remove();

    await expect(checkSchemaHasMigration(serverUrl, { migrationsDir: empty.migrationsDir })).rejects.toBeInstanceOf(
      SchemaWithoutMigrationError,
    );
  });

  it('drops its throwaway databases', async () => {
    await addToModel(prisma.schemaPath, 'Student', 'nickname String?');
    await checkSchemaHasMigration(serverUrl, prisma).catch(() => undefined);

    expect(await databasesStartingWith(databaseNameOf(serverUrl))).toEqual([]);
  });
});
