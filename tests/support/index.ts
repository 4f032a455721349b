export { createTestDatabase, type TestDatabase } from './database.ts';
export { deleteQueueKeys, randomQueuePrefix, testRedisUrl } from './redis.ts';
export { testKeys, type TestKeys } from './keys.ts';
export { testLogger } from './logger.ts';
