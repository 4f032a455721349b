import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/index.ts';
import { createPrismaClient } from './client.ts';
import { createPgPool } from './pg-pool.ts';

describe('pooled connections', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('plan every statement with its parameters', async () => {
    const pool = createPgPool({ databaseUrl: database.url, poolSize: 2 });
    try {
      // Two clients at once, so the setting is checked on more than the first connection.
      const clients = await Promise.all([pool.connect(), pool.connect()]);
      try {
        for (const client of clients) expect((await client.query('SHOW plan_cache_mode')).rows[0].plan_cache_mode).toBe('force_custom_plan');
      } finally {
        for (const client of clients) client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('Prisma connections too', async () => {
    const prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 1 });
    try {
      const rows = await prisma.$queryRaw<Array<{ plan_cache_mode: string }>>`SHOW plan_cache_mode`;
      expect(rows[0]?.plan_cache_mode).toBe('force_custom_plan');
    } finally {
      await prisma.$disconnect();
    }
  });

  it('named statements never switch to a generic plan', async () => {
    const pool = createPgPool({ databaseUrl: database.url, poolSize: 1 });
    const client = await pool.connect();
    try {
      await client.query('CREATE TABLE plan_probe (id int PRIMARY KEY, label text)');
      const probe = { name: 'plan probe', text: 'SELECT label FROM plan_probe WHERE id = $1', values: [1] };
      // Without the setting, PostgreSQL tries a generic plan from the sixth run on and keeps it when it costs no more.
      for (let run = 0; run < 8; run += 1) await client.query(probe);

      const { rows } = await client.query<{ generic_plans: string; custom_plans: string }>("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'plan probe'");
      expect(rows).toEqual([{ generic_plans: '0', custom_plans: '8' }]);
    } finally {
      client.release();
      await pool.end();
    }
  });
});
