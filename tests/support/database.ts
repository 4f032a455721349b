import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from '@student-sync/devservices';
import './provided.ts';

/**
 * Advisory lock (taken in the `postgres` database, since the lock space is per database)
 * that orders template rebuilds against copies: a rebuild takes it exclusively, each copy
 * shared. Concurrent vitest runs on one machine then never copy a half-migrated template.
 */
const TEMPLATE_LOCK_ID = 7_373_170_001;

export interface TestDatabase {
  /** postgresql:// URL of the new database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** Creates a database with a random `student_sync_t_` name as a copy of the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('testPostgresUrl');
  const name = `student_sync_t_${randomBytes(6).toString('hex')}`;
  await withLockedConnection(serverUrl, 'shared', async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(inject('testTemplateDatabase'))}`);
  });
  const drop = () => dropDatabase(serverUrl, name);
  return { url: withDatabase(serverUrl, name), drop };
}

/** Drops and recreates the template database, then runs `migrate` on it, under the exclusive lock. */
export async function rebuildTemplateDatabase(
  serverUrl: string,
  template: string,
  migrate: (databaseUrl: string) => Promise<unknown>,
): Promise<void> {
  await withLockedConnection(serverUrl, 'exclusive', async (client) => {
    const quoted = client.escapeIdentifier(template);
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoted}`);
    await migrate(withDatabase(serverUrl, template));
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function withLockedConnection(
  serverUrl: string,
  mode: 'shared' | 'exclusive',
  action: (client: pg.Client) => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  const suffix = mode === 'shared' ? '_shared' : '';
  try {
    await client.query(`SELECT pg_advisory_lock${suffix}($1)`, [TEMPLATE_LOCK_ID]);
    await action(client);
  } finally {
    // Closing the session releases the lock too; unlocking first frees it without waiting for that.
    await client.query(`SELECT pg_advisory_unlock${suffix}($1)`, [TEMPLATE_LOCK_ID]).catch(() => {});
    await client.end();
  }
}
