/**
 * Values that tests/global-setup.ts hands to test files through vitest's provide/inject.
 * Test workers are separate processes, so plain module state from the setup does not reach them.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Redis for tests; each test file still uses its own queue prefix. */
    testRedisUrl: string;
    /** PostgreSQL server for tests, naming its maintenance database `postgres`. */
    testPostgresUrl: string;
    /** Database migrated once per run, copied by createTestDatabase(). */
    testTemplateDatabase: string;
  }
}

export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEMPLATE_DATABASE = 'student_sync_test_template';
