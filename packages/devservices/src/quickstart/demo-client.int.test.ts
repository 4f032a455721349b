import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testKeys, type TestDatabase } from '../../../../tests/support/index.ts';
import { DemoClientKeyError, ensureDemoClient } from './demo-client.ts';

describe('ensureDemoClient', () => {
  let database: TestDatabase;
  let folder: string;
  const keys = testKeys().PII_ENCRYPTION_KEYS;
  const ingressUrl = 'http://127.0.0.1:8080/api/v1/student-changes';

  beforeAll(async () => {
    database = await createTestDatabase();
    folder = await mkdtemp(path.join(tmpdir(), 'demo-client-'));
  });

  afterAll(async () => {
    await database?.drop();
    await rm(folder, { recursive: true, force: true });
  });

  it('creates the client once and keeps its key', async () => {
    const filePath = path.join(folder, 'demo-client.json');
    const first = await ensureDemoClient({ databaseUrl: database.url, encryptionKeys: keys, ingressUrl, filePath });
    const second = await ensureDemoClient({ databaseUrl: database.url, encryptionKeys: keys, ingressUrl, filePath });

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.file.signKey).toBe(first.file.signKey);
    expect(JSON.parse(await readFile(filePath, 'utf8'))).toEqual({ appKey: 'demo', signKey: first.file.signKey, url: ingressUrl });
  });

  it('rejects keys that cannot open the stored client', async () => {
    const otherKeys = testKeys().PII_ENCRYPTION_KEYS;
    const attempt = ensureDemoClient({ databaseUrl: database.url, encryptionKeys: otherKeys, ingressUrl, filePath: path.join(folder, 'other.json') });

    await expect(attempt).rejects.toBeInstanceOf(DemoClientKeyError);
    await expect(attempt).rejects.toThrow(/PII_ENCRYPTION_KEYS.*DATABASE_URL/s);
  });
});
