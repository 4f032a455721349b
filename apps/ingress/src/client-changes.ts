import type { Logger } from '@student-sync/observability';
import { LEGACY_CLIENTS_CHANGED_CHANNEL } from '@student-sync/queue';
import type { Redis } from 'ioredis';
import type { CachedClientDirectory } from './client-cache.ts';

/**
 * Drops a cached client when its app-key is announced on `channel` (clientsChangedChannel of
 * the deployment's QUEUE_PREFIX) or on the channel of earlier releases.
 * Announcements sent while the subscriber was disconnected are lost, so every (re)connect
 * clears the whole cache. `subscriber` must be a connection used for nothing else, and the
 * caller listens to its errors.
 */
export async function followClientChanges(subscriber: Redis, cache: CachedClientDirectory, log: Logger, channel: string): Promise<void> {
  const channels = [channel, LEGACY_CLIENTS_CHANGED_CHANNEL];
  subscriber.on('message', (from: string, appKey: string) => {
    if (!channels.includes(from)) return;
    cache.invalidate(appKey);
    log.info({ appKey }, 'client changed, cached entry dropped');
  });
  subscriber.on('ready', () => cache.clear());
  await subscriber.subscribe(...channels);
}
