import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { Keyring } from '@student-sync/privacy';
import { clientsChangedChannel } from '@student-sync/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../generated/prisma/client.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/index.ts';
import type { VerificationClient } from '@student-sync/protocol';
import pg from 'pg';
import { SqlClientDirectory } from './client-lookup.ts';
import { ClientStore } from './client-store.ts';
import { ClientStoreError } from './errors.ts';

class RecordingPublisher {
  readonly messages: Array<[string, string]> = [];
  async publish(channel: string, message: string) {
    this.messages.push([channel, message]);
    return 1;
  }
}

describe('ClientStore and SqlClientDirectory on PostgreSQL', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let clock = new Date('2024-09-01T00:00:00Z');
  const publisher = new RecordingPublisher();
  const CHANNEL = clientsChangedChannel('{client-store-test}');
  const keyring = Keyring.parse(`k1:${randomBytes(32).toString('base64')}`);
  let store: ClientStore;
  let pool: pg.Pool;
  let sql: SqlClientDirectory;

  /** Looks the client up through Prisma and through plain SQL; both must return the same. */
  async function lookUp(appKey: string): Promise<VerificationClient | null> {
    const viaPrisma = await store.findClientForVerification(appKey);
    expect(await sql.findClientForVerification(appKey)).toEqual(viaPrisma);
    return viaPrisma;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
    store = new ClientStore({ prisma, keyring, announcements: { publisher, channel: CHANNEL }, now: () => clock });
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
    sql = new SqlClientDirectory({ pool, keyring, now: () => clock });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await database?.drop();
  });

  it('creates a client and returns its key once, stored sealed', async () => {
    const issued = await store.createClient({ appKey: 'efutong', name: 'E付通' });
    expect(issued.signKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const row = await prisma.apiClient.findUniqueOrThrow({ where: { appKey: 'efutong' } });
    expect(row.signKeySealed).not.toContain(issued.signKey);
    expect(keyring.open(row.signKeySealed)).toBe(issued.signKey);
    expect(await lookUp('efutong')).toEqual({ appKey: 'efutong', scheme: 'MD5', enabled: true, signKeys: [issued.signKey] });
  });

  it('rejects a duplicate app-key and a malformed one', async () => {
    await expect(store.createClient({ appKey: 'efutong', name: 'again' })).rejects.toThrow(/已存在, 要换签名密钥请用 student-sync clients rotate-key efutong/);
    await expect(store.createClient({ appKey: 'bad key', name: 'x' })).rejects.toThrow(/app-key 必须是/);
  });

  it('lists clients without keys', async () => {
    await store.createClient({ appKey: 'gm-client', name: '国密', scheme: 'HMAC_SM3' });
    const listed = await store.listClients();
    expect(listed.map((client) => [client.appKey, client.scheme])).toEqual([['efutong', 'MD5'], ['gm-client', 'HMAC_SM3']]);
    expect(JSON.stringify(listed)).not.toMatch(/sealed|signKey/i);
  });

  it('disables and enables a client and announces each change', async () => {
    publisher.messages.length = 0;
    await store.disableClient('efutong');
    expect((await lookUp('efutong'))?.enabled).toBe(false);
    await store.enableClient('efutong');
    expect((await lookUp('efutong'))?.enabled).toBe(true);
    expect(publisher.messages).toEqual([[CHANNEL, 'efutong'], [CHANNEL, 'efutong']]);
  });

  it('keeps the old key verifying until the grace period ends', async () => {
    const before = (await lookUp('efutong'))!.signKeys[0]!;
    const rotated = await store.rotateClientKey('efutong', { graceMs: 60_000 });
    expect((await lookUp('efutong'))?.signKeys).toEqual([rotated.signKey, before]);

    clock = new Date(clock.getTime() + 60_001);
    expect((await lookUp('efutong'))?.signKeys).toEqual([rotated.signKey]);
  });

  it('drops the old key at once with no grace period', async () => {
    const rotated = await store.rotateClientKey('gm-client', { graceMs: 0 });
    expect(rotated.previousKeyExpiresAt).toBeNull();
    expect(rotated.scheme).toBe('HMAC_SM3');
    expect((await lookUp('gm-client'))?.signKeys).toEqual([rotated.signKey]);
  });

  it('reports an unknown app-key', async () => {
    expect(await lookUp('nobody')).toBeNull();
    await expect(store.disableClient('nobody')).rejects.toBeInstanceOf(ClientStoreError);
    await expect(store.rotateClientKey('nobody', { graceMs: 0 })).rejects.toThrow(/找不到 app-key .*用 student-sync clients list 查看/);
  });
});
