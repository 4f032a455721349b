import type { ClientDirectory, VerificationClient } from '@student-sync/protocol';

export interface ClientCacheOptions {
  /** How long a looked-up client (or the absence of one) is reused; 0 disables caching. */
  ttlMs: number;
  /** Upper bound on cached app-keys, so a flood of unknown app-keys cannot grow memory. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  client: VerificationClient | null;
  expiresAt: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Caches client look-ups in memory, so the request path reaches PostgreSQL about once per
 * app-key and TTL. Concurrent misses each look up. Unknown app-keys are cached too.
 *
 * NOTE: a rotated-out key keeps verifying for up to one TTL after its grace period ends,
 * because the cached entry does not carry the key's expiry time.
 */
export class CachedClientDirectory implements ClientDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  // Bumped by every invalidation; a look-up that started before it does not store its result.
  private generation = 0;

  constructor(
    private readonly source: ClientDirectory,
    private readonly options: ClientCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  peekClientForVerification(appKey: string): VerificationClient | null | undefined {
    const cached = this.entries.get(appKey);
    return cached && cached.expiresAt > this.now() ? cached.client : undefined;
  }

  async findClientForVerification(appKey: string): Promise<VerificationClient | null> {
    const cached = this.peekClientForVerification(appKey);
    if (cached !== undefined) return cached;

    const generation = this.generation;
    const client = await this.source.findClientForVerification(appKey);
    if (generation === this.generation && this.options.ttlMs > 0) this.store(appKey, client);
    return client;
  }

  invalidate(appKey: string): void {
    this.generation += 1;
    this.entries.delete(appKey);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private store(appKey: string, client: VerificationClient | null): void {
    this.entries.delete(appKey);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order, so the first key is the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(appKey, { client, expiresAt: this.now() + this.options.ttlMs });
  }
}
