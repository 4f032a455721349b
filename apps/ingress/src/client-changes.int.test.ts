import { randomBytes } from 'node:crypto';
import { createLogger } from '@student-sync/observability';
import { clientsChangedChannel, createRedisConnection, LEGACY_CLIENTS_CHANGED_CHANNEL, waitForRedisReady } from '@student-sync/queue';
import { describe, expect, it, vi } from 'vitest';
import { CachedClientDirectory } from './client-cache.ts';
import { followClientChanges } from './client-changes.ts';
import { randomQueuePrefix, testRedisUrl } from '../../../tests/support/index.ts';
import { MemoryClientDirectory } from './testing/harness.ts';

describe('followClientChanges', () => {
  it('drops the clients named on its own and the legacy channel only', async () => {
    const [ownKey, legacyKey, otherKey] = ['own', 'legacy', 'other'].map((name) => `${name}-${randomBytes(4).toString('hex')}`);
    const prefix = randomQueuePrefix();
    const cache = new CachedClientDirectory(new MemoryClientDirectory(), { ttlMs: 60_000 });
    const invalidate = vi.spyOn(cache, 'invalidate');
    const subscriber = createRedisConnection(testRedisUrl(), { role: 'subscriber' });
    const publisher = createRedisConnection(testRedisUrl(), { role: 'producer' });
    try {
      await waitForRedisReady(publisher, 5_000);
      await followClientChanges(subscriber, cache, createLogger({ name: 'test', level: 'silent' }), clientsChangedChannel(prefix));
      // Another deployment on the same Redis, with its own prefix.
      await publisher.publish(clientsChangedChannel(randomQueuePrefix()), otherKey!);
      await publisher.publish(clientsChangedChannel(prefix), ownKey!);
      await publisher.publish(LEGACY_CLIENTS_CHANGED_CHANNEL, legacyKey!);

      await vi.waitFor(() => expect(invalidate).toHaveBeenCalledWith(legacyKey), { timeout: 5_000 });
      expect(invalidate.mock.calls.map(([appKey]) => appKey)).toEqual([ownKey, legacyKey]);
    } finally {
      subscriber.disconnect();
      publisher.disconnect();
    }
  });
});
