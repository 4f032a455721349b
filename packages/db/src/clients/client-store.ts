import type { Keyring } from '@student-sync/privacy';
import { appKeyProblem, type ClientDirectory, type SignScheme, type VerificationClient } from '@student-sync/protocol';
import { Prisma, type ApiClient, type PrismaClient } from '../generated/prisma/client.ts';
import { toVerificationClient } from './client-lookup.ts';
import { ClientStoreError, clientNotFound } from './errors.ts';
import { generateSignKey } from './sign-key.ts';

/** Sends a Redis pub/sub message; an ioredis connection fits. */
export interface ChangePublisher {
  publish(channel: string, message: string): Promise<unknown>;
}

export interface ClientStoreDeps {
  prisma: PrismaClient;
  /** Seals sign keys at rest (PII_ENCRYPTION_KEYS). */
  keyring: Keyring;
  /**
   * Tells ingress processes to drop a cached client, on `channel` (clientsChangedChannel of the
   * deployment's QUEUE_PREFIX). Without it, caches expire by TTL only.
   */
  announcements?: { publisher: ChangePublisher; channel: string };
  now?: () => Date;
}

export interface NewClient {
  appKey: string;
  name: string;
  scheme?: SignScheme;
}

/** A client as listed for operators; never carries a key. */
export interface ClientSummary {
  appKey: string;
  name: string;
  scheme: SignScheme;
  enabled: boolean;
  keyRotatedAt: Date | null;
  previousKeyExpiresAt: Date | null;
  createdAt: Date;
}

/** A sign key in plaintext, returned only by the call that generated it. */
export interface IssuedKey {
  appKey: string;
  signKey: string;
}

/** API clients (app-key and sign key) in PostgreSQL, with sign keys sealed by the keyring. */
export class ClientStore implements ClientDirectory {
  private readonly now: () => Date;

  constructor(private readonly deps: ClientStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Creates a client with a new random sign key and returns that key; it cannot be read back later. */
  async createClient(input: NewClient): Promise<IssuedKey & { scheme: SignScheme }> {
    requireAppKeyShape(input.appKey);
    const name = input.name.trim();
    if (!name) throw new ClientStoreError('invalid-name', '客户端名称不能为空 (name must not be empty)');

    const signKey = generateSignKey();
    const scheme = input.scheme ?? 'MD5';
    try {
      await this.deps.prisma.apiClient.create({
        data: { appKey: input.appKey, name, signScheme: scheme, signKeySealed: this.deps.keyring.seal(signKey) },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ClientStoreError('exists', `app-key "${input.appKey}" 已存在, 要换签名密钥请用 student-sync clients rotate-key ${input.appKey} (app-key already exists, rotate-key changes its sign key)`);
      throw error;
    }
    await this.announce(input.appKey);
    return { appKey: input.appKey, signKey, scheme };
  }

  async listClients(): Promise<ClientSummary[]> {
    const rows = await this.deps.prisma.apiClient.findMany({ orderBy: { appKey: 'asc' } });
    return rows.map(toSummary);
  }

  async disableClient(appKey: string): Promise<void> {
    await this.setEnabled(appKey, false);
  }

  async enableClient(appKey: string): Promise<void> {
    await this.setEnabled(appKey, true);
  }

  /**
   * Replaces the sign key and returns the new one. The old key keeps verifying for `graceMs`
   * so the sender can switch without rejected pushes; a key rotated out earlier is dropped.
   */
  async rotateClientKey(appKey: string, options: { graceMs: number }): Promise<IssuedKey & { scheme: SignScheme; previousKeyExpiresAt: Date | null }> {
    if (!Number.isFinite(options.graceMs) || options.graceMs < 0) {
      throw new ClientStoreError('invalid-grace', `宽限期必须是非负毫秒数, 收到 ${options.graceMs} (grace period must be a non-negative number of milliseconds)`);
    }
    const current = await this.deps.prisma.apiClient.findUnique({ where: { appKey } });
    if (!current) throw clientNotFound(appKey);

    const now = this.now();
    const signKey = generateSignKey();
    const previousKeyExpiresAt = options.graceMs > 0 ? new Date(now.getTime() + options.graceMs) : null;
    // Matching on the old sealed key makes two concurrent rotations fail instead of losing one key.
    const { count } = await this.deps.prisma.apiClient.updateMany({
      where: { appKey, signKeySealed: current.signKeySealed },
      data: {
        signKeySealed: this.deps.keyring.seal(signKey),
        previousSignKeySealed: previousKeyExpiresAt ? current.signKeySealed : null,
        previousKeyExpiresAt,
        keyRotatedAt: now,
      },
    });
    if (count === 0) throw new ClientStoreError('concurrent-change', `app-key "${appKey}" 的密钥同时被另一次轮换修改, 请重试 (key changed by a concurrent rotation; retry)`);

    await this.announce(appKey);
    return { appKey, signKey, scheme: current.signScheme as SignScheme, previousKeyExpiresAt };
  }

  /** Returns the client with its usable sign keys opened, or null when the app-key is unknown. */
  async findClientForVerification(appKey: string): Promise<VerificationClient | null> {
    const row = await this.deps.prisma.apiClient.findUnique({ where: { appKey } });
    return row ? toVerificationClient(row, this.deps.keyring, this.now()) : null;
  }

  private async setEnabled(appKey: string, enabled: boolean): Promise<void> {
    const { count } = await this.deps.prisma.apiClient.updateMany({ where: { appKey }, data: { enabled } });
    if (count === 0) throw clientNotFound(appKey);
    await this.announce(appKey);
  }

  private async announce(appKey: string): Promise<void> {
    const announcements = this.deps.announcements;
    await announcements?.publisher.publish(announcements.channel, appKey);
  }
}

function requireAppKeyShape(appKey: string): void {
  const rule = appKeyProblem(appKey);
  if (rule) throw new ClientStoreError('invalid-app-key', `${rule}, 收到 "${appKey.slice(0, 80)}" (invalid app-key)`);
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

function toSummary(row: ApiClient): ClientSummary {
  return {
    appKey: row.appKey,
    name: row.name,
    scheme: row.signScheme,
    enabled: row.enabled,
    keyRotatedAt: row.keyRotatedAt,
    previousKeyExpiresAt: row.previousKeyExpiresAt,
    createdAt: row.createdAt,
  };
}
