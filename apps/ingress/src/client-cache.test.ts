import type { ClientDirectory, VerificationClient } from '@student-sync/protocol';
import { describe, expect, it } from 'vitest';
import { CachedClientDirectory } from './client-cache.ts';

const client: VerificationClient = { appKey: 'efutong', scheme: 'MD5', enabled: true, signKeys: ['k'] };

class CountingDirectory implements ClientDirectory {
  lookups = 0;
  value: VerificationClient | null = client;
  pending: Array<() => void> = [];
  hold = false;

  async findClientForVerification(): Promise<VerificationClient | null> {
    this.lookups += 1;
    const value = this.value;
    if (this.hold) await new Promise<void>((resolve) => this.pending.push(resolve));
    return value;
  }
}

function setup(ttlMs = 1_000, maxEntries?: number) {
  let now = 0;
  const source = new CountingDirectory();
  const cache = new CachedClientDirectory(source, { ttlMs, maxEntries, now: () => now });
  return { source, cache, advance: (ms: number) => (now += ms) };
}

describe('CachedClientDirectory', () => {
  it('reuses a look-up until the TTL passes', async () => {
    const { source, cache, advance } = setup();
    await cache.findClientForVerification('efutong');
    advance(999);
    await cache.findClientForVerification('efutong');
    expect(source.lookups).toBe(1);
    advance(1);
    await cache.findClientForVerification('efutong');
    expect(source.lookups).toBe(2);
  });

  it('peek reads memory only', async () => {
    const { source, cache, advance } = setup();
    expect(cache.peekClientForVerification('efutong')).toBeUndefined();
    await cache.findClientForVerification('efutong');
    expect(cache.peekClientForVerification('efutong')).toEqual(client);
    source.value = null;
    await cache.findClientForVerification('nobody');
    expect(cache.peekClientForVerification('nobody')).toBeNull();
    advance(1_000);
    expect(cache.peekClientForVerification('efutong')).toBeUndefined();
    cache.clear();
    expect(cache.peekClientForVerification('nobody')).toBeUndefined();
    expect(source.lookups).toBe(2);
  });

  it('caches an unknown app-key too', async () => {
    const { source, cache } = setup();
    source.value = null;
    expect(await cache.findClientForVerification('nobody')).toBeNull();
    expect(await cache.findClientForVerification('nobody')).toBeNull();
    expect(source.lookups).toBe(1);
  });

  it('looks up again after invalidate', async () => {
    const { source, cache } = setup();
    await cache.findClientForVerification('efutong');
    source.value = { ...client, enabled: false };
    cache.invalidate('efutong');
    expect((await cache.findClientForVerification('efutong'))?.enabled).toBe(false);
  });

  it('does not store a look-up that an invalidation overtook', async () => {
    const { source, cache } = setup();
    source.hold = true;
    const inFlight = cache.findClientForVerification('efutong');
    cache.invalidate('efutong');
    source.pending.shift()!();
    await inFlight;
    source.hold = false;
    await cache.findClientForVerification('efutong');
    expect(source.lookups).toBe(2);
  });

  it('does not cache with a TTL of 0', async () => {
    const { source, cache } = setup(0);
    await cache.findClientForVerification('efutong');
    await cache.findClientForVerification('efutong');
    expect(source.lookups).toBe(2);
  });

  it('drops the oldest entry when full', async () => {
    const { source, cache } = setup(1_000, 2);
    for (const appKey of ['a', 'b', 'c', 'b', 'c']) await cache.findClientForVerification(appKey);
    expect(source.lookups).toBe(3);
    await cache.findClientForVerification('a');
    expect(source.lookups).toBe(4);
  });
});
