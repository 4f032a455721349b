import { randomBytes } from 'node:crypto';
import { createLogger } from '@student-sync/observability';
import { CLIENTS_CHANGED_CHANNEL, createRedisConnection, waitForRedisReady } from '@student-sync/queue';
import { describe, expect, it, vi } from 'vitest';
import { CachedClientDirectory } from './client-cache.ts';
import { followClientChanges } from './client-changes.ts';
import { testRedisUrl } from '../../../tests/support/index.ts';
import { MemoryClientDirectory } from './testing/harness.ts';

describe('followClientChanges', () => {
  it('drops the cached client named on the channel', async () => {
    const appKey = `changes-${randomBytes(4).toString('hex')}`;
    const cache = new CachedClientDirectory(new MemoryClientDirectory(), { ttlMs: 60_000 });
    const invalidate = vi.spyOn(cache, 'invalidate');
    const subscriber = createRedisConnection(testRedisUrl(), { role: 'subscriber' });
    const publisher = createRedisConnection(testRedisUrl(), { role: 'producer' });
    try {
      await waitForRedisReady(publisher, 5_000);
      await followClientChanges(subscriber, cache, createLogger({ name: 'test', level: 'silent' }));
      await publisher.publish(CLIENTS_CHANGED_CHANNEL, appKey);
      await vi.waitFor(() => expect(invalidate).toHaveBeenCalledWith(appKey), { timeout: 5_000 });
    } finally {
      subscriber.disconnect();
      publisher.disconnect();
    }
  });
});
