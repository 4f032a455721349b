import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPrismaClient } from '@student-sync/db';
import { ClientStore } from '@student-sync/db/clients';
import { Keyring, SealError } from '@student-sync/privacy';
import { redactUrl } from '../url.ts';

export const DEMO_APP_KEY = 'demo';

/** Contents of `.data/demo-client.json`, which `student-sync push --client-file` reads. */
export interface DemoClientFile {
  appKey: string;
  signKey: string;
  url: string;
}

export interface DemoClientResult {
  /** True when this call created the client, so its sign key is shown for the first time. */
  created: boolean;
  /** False when an operator disabled the client; the ingress then rejects its pushes with 1002. */
  enabled: boolean;
  file: DemoClientFile;
}

/** Raised when the database contains a demo client sealed with other keys than PII_ENCRYPTION_KEYS. */
export class DemoClientKeyError extends Error {
  override readonly name = 'DemoClientKeyError';
}

/**
 * Makes sure the `demo` client exists and writes its app-key, sign key and the ingress URL to
 * `filePath` (mode 0600). An existing client keeps its key; the file is rewritten from the store.
 */
export async function ensureDemoClient(options: {
  databaseUrl: string;
  encryptionKeys: string;
  ingressUrl: string;
  filePath: string;
}): Promise<DemoClientResult> {
  const prisma = createPrismaClient({ databaseUrl: options.databaseUrl, poolSize: 2 });
  try {
    const store = new ClientStore({ prisma, keyring: Keyring.parse(options.encryptionKeys) });
    const existing = await store.findClientForVerification(DEMO_APP_KEY).catch((error: unknown) => {
      if (!(error instanceof SealError)) throw error;
      throw new DemoClientKeyError(
        `数据库中的演示客户端是用另一组 PII_ENCRYPTION_KEYS 加密的, 当前 .env 的密钥无法解开 (the demo client in ${redactUrl(options.databaseUrl)} was sealed with other PII_ENCRYPTION_KEYS than these). ` +
          '修复 (fix): 使用创建该数据库时的 .env, 或让 DATABASE_URL 指向另一个数据库 (use the .env that created this database, or point DATABASE_URL at another database), ' +
          '例如 (e.g.) `DATABASE_URL=postgresql://postgres@127.0.0.1:5432/student_sync_local npm start`.',
        { cause: error },
      );
    });
    const created = existing === null;
    const signKey = created
      ? (await store.createClient({ appKey: DEMO_APP_KEY, name: '演示客户端 (demo client)' })).signKey
      : existing.signKeys[0]!;
    const file = { appKey: DEMO_APP_KEY, signKey, url: options.ingressUrl };
    mkdirSync(path.dirname(options.filePath), { recursive: true });
    writeFileSync(options.filePath, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    return { created, enabled: existing?.enabled ?? true, file };
  } finally {
    await prisma.$disconnect();
  }
}
