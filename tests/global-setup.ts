import type { TestProject } from 'vitest/node';
import { createToolLogger, ensurePostgres, ensureRedis, withDatabase, type ServiceHandle } from '@student-sync/devservices';
import { migrateDeploy } from '@student-sync/db/migrate';
import { rebuildTemplateDatabase } from './support/database.ts';
import { DEFAULT_TEST_DATABASE_URL, DEFAULT_TEST_REDIS_URL, TEMPLATE_DATABASE } from './support/provided.ts';

/**
 * Runs once per `vitest run`, before any worker starts: makes sure Redis and PostgreSQL respond
 * (starting local ones when REDIS_URL / DATABASE_URL point at loopback and nothing responds),
 * and rebuilds the migrated template database that createTestDatabase() copies. Only the
 * server part of DATABASE_URL is used; the database it names is left alone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createToolLogger('test-setup', process.env.LOG_LEVEL || 'info');
  const redisUrl = process.env.REDIS_URL || DEFAULT_TEST_REDIS_URL;
  const postgresUrl = withDatabase(process.env.DATABASE_URL || DEFAULT_TEST_DATABASE_URL, 'postgres');

  const started: ServiceHandle[] = [];
  const stopStarted = async () => {
    for (const handle of started.reverse()) await handle.stop();
  };
  try {
    started.push(await ensureRedis(redisUrl, { log }));
    started.push(await ensurePostgres(postgresUrl, { log, createDatabase: false }));
    await rebuildTemplateDatabase(postgresUrl, TEMPLATE_DATABASE, migrateDeploy);
  } catch (err) {
    await stopStarted();
    throw err;
  }
  log.info({ template: TEMPLATE_DATABASE }, '测试模板数据库已迁移 (test template database migrated)');

  project.provide('testRedisUrl', redisUrl);
  project.provide('testPostgresUrl', postgresUrl);
  project.provide('testTemplateDatabase', TEMPLATE_DATABASE);
  return stopStarted;
}
