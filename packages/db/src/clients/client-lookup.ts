import type { Keyring } from '@student-sync/privacy';
import type { ClientDirectory, SignScheme, VerificationClient } from '@student-sync/protocol';
import type pg from 'pg';

/** The columns of `api_clients` that verifying a request needs. */
export interface ClientKeyRow {
  appKey: string;
  signScheme: SignScheme;
  enabled: boolean;
  signKeySealed: string;
  previousSignKeySealed: string | null;
  previousKeyExpiresAt: Date | null;
}

/** Opens the sign keys of a client row: the current key, then the previous one while its grace period lasts. */
export function toVerificationClient(row: ClientKeyRow, keyring: Keyring, now: Date): VerificationClient {
  const signKeys = [keyring.open(row.signKeySealed)];
  if (row.previousSignKeySealed && row.previousKeyExpiresAt && row.previousKeyExpiresAt > now) {
    signKeys.push(keyring.open(row.previousSignKeySealed));
  }
  return { appKey: row.appKey, scheme: row.signScheme, enabled: row.enabled, signKeys };
}

const FIND_CLIENT_SQL = `
  SELECT app_key AS "appKey", sign_scheme::text AS "signScheme", enabled,
         sign_key_sealed AS "signKeySealed", previous_sign_key_sealed AS "previousSignKeySealed",
         previous_key_expires_at AS "previousKeyExpiresAt"
  FROM api_clients WHERE app_key = $1`;

export interface SqlClientDirectoryDeps {
  pool: pg.Pool;
  /** Opens the sealed sign keys (PII_ENCRYPTION_KEYS). */
  keyring: Keyring;
  now?: () => Date;
}

/**
 * Looks up clients for request verification with one SQL statement on a plain `pg` pool. The
 * ingress uses it so that it never loads Prisma's query compiler; ClientStore reads and
 * writes the same table through Prisma for the CLI.
 */
export class SqlClientDirectory implements ClientDirectory {
  private readonly now: () => Date;

  constructor(private readonly deps: SqlClientDirectoryDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async findClientForVerification(appKey: string): Promise<VerificationClient | null> {
    const result = await this.deps.pool.query<ClientKeyRow>(FIND_CLIENT_SQL, [appKey]);
    const row = result.rows[0];
    return row ? toVerificationClient(row, this.deps.keyring, this.now()) : null;
  }
}
