import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/index.ts';
import { createPgPool } from '../pg-pool.ts';
import { lockExistingArchiveRows } from './archive-rows.ts';
import { loadAndLockStudents } from './load-students.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('array look-ups of a group', () => {
  it('never run on a generic plan', async () => {
    const pool = createPgPool({ databaseUrl: database.url, poolSize: 1 });
    const client = await pool.connect();
    try {
      // Arrays as long as a full group's, on empty tables: the case where PostgreSQL would
      // choose a generic plan for a named statement from the sixth run on.
      const numbers = Array.from({ length: 500 }, (_, index) => `PLAN-${index}`);
      const keys = numbers.map((number) => `app:${number}`);
      for (let run = 0; run < 8; run += 1) {
        await loadAndLockStudents(client, numbers);
        await lockExistingArchiveRows(client, keys);
      }

      const { rows } = await client.query<{ name: string; generic_plans: string }>(
        "SELECT name, generic_plans FROM pg_prepared_statements WHERE statement LIKE '%= ANY($1%' AND generic_plans > 0",
      );
      expect(rows).toEqual([]);
    } finally {
      client.release();
      await pool.end();
    }
  });
});
