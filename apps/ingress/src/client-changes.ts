import type { Logger } from '@student-sync/observability';
import { CLIENTS_CHANGED_CHANNEL } from '@student-sync/queue';
import type { Redis } from 'ioredis';
import type { CachedClientDirectory } from './client-cache.ts';

/**
 * Drops a cached client when its app-key is announced on the clients-changed channel.
 * Announcements sent while the subscriber was disconnected are lost, so every (re)connect
 * clears the whole cache. `subscriber` must be a connection used for nothing else, and the
 * caller listens to its errors.
 */
export async function followClientChanges(subscriber: Redis, cache: CachedClientDirectory, log: Logger): Promise<void> {
  subscriber.on('message', (channel: string, appKey: string) => {
    if (channel !== CLIENTS_CHANGED_CHANNEL) return;
    cache.invalidate(appKey);
    log.info({ appKey }, 'client changed, cached entry dropped');
  });
  subscriber.on('ready', () => cache.clear());
  await subscriber.subscribe(CLIENTS_CHANGED_CHANNEL);
}
