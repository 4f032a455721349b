import { Writable } from 'node:stream';
import { createPrismaClient, type PrismaClient } from '@student-sync/db';
import { ClientStore } from '@student-sync/db/clients';
import { createLogger } from '@student-sync/observability';
import { Keyring } from '@student-sync/privacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testKeys } from '../support/index.ts';

describe('sign keys at rest', () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  const keyring = Keyring.parse(testKeys().PII_ENCRYPTION_KEYS);

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  it('api_clients stores the key sealed with its key id', async () => {
    const store = new ClientStore({ prisma, keyring });
    const issued = await store.createClient({ appKey: 'at-rest-1', name: '静态加密测试' });
    const rotated = await store.rotateClientKey('at-rest-1', { graceMs: 60_000 });

    const [row] = await prisma.$queryRaw<Array<{ row: string }>>`SELECT row_to_json(t)::text AS row FROM api_clients t WHERE app_key = 'at-rest-1'`;
    expect(row!.row).not.toContain(issued.signKey);
    expect(row!.row).not.toContain(rotated.signKey);

    const client = await prisma.apiClient.findUniqueOrThrow({ where: { appKey: 'at-rest-1' } });
    expect(Keyring.keyIdOf(client.signKeySealed)).toBe(keyring.activeKeyId);
    expect(keyring.open(client.signKeySealed)).toBe(rotated.signKey);
    expect(keyring.open(client.previousSignKeySealed!)).toBe(issued.signKey);
  });

  it('client listing carries no key', async () => {
    const store = new ClientStore({ prisma, keyring });
    const issued = await store.createClient({ appKey: 'at-rest-2', name: '列表测试' });
    expect(JSON.stringify(await store.listClients())).not.toContain(issued.signKey);
  });

  it('logger redacts a client logged by mistake', async () => {
    const store = new ClientStore({ prisma, keyring });
    const issued = await store.createClient({ appKey: 'at-rest-3', name: '日志测试' });
    const client = await store.findClientForVerification('at-rest-3');

    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ name: 'secrets-test', level: 'info', destination });
    log.info({ client }, 'client looked up');
    log.info({ request: { headers: { 'x-sign': 'abc' } }, signKey: issued.signKey }, 'request verified');

    expect(lines.join('')).not.toContain(issued.signKey);
    expect(lines.join('')).toContain('[REDACTED]');
  });
});
