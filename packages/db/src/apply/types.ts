import type { ChangeCount } from '@student-sync/domain';
import type { KeyedHasher, Keyring } from '@student-sync/privacy';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Transaction = Prisma.TransactionClient;

/** Dependencies of the applier: the client, and the keys that protect personal data at rest. */
export interface ApplyDependencies {
  prisma: PrismaClient;
  keyring: Keyring;
  hasher: KeyedHasher;
  /** Maximum run time of one apply transaction, lock waits included; 30 s when omitted. */
  transactionTimeoutMs?: number;
  /** Maximum wait for a pooled connection to start the transaction; 10 s when omitted. */
  connectionWaitMs?: number;
}

/** The push as archived: job metadata plus the raw body sealed. */
export interface ArchivedPush {
  /** `<app-key>:<sha256 hex of the raw body>`. */
  idempotencyKey: string;
  appKey: string;
  requestId: string | null;
  receivedAt: Date;
  batchNo: string | null;
  /** xh as sent. */
  studentNo: string;
  /** cz_lx as sent. */
  operation: string;
  /** bg_sj as an instant. */
  changedAt: Date;
  bodySealed: string;
}

export type ApplyResult =
  | { status: 'applied'; pushId: bigint; studentId: string; created: boolean; changes: ChangeCount[] }
  | { status: 'already-applied'; pushId: bigint };

/** A failed attempt as the archive records it. */
export interface FailedAttempt {
  /** RETRYING while attempts remain, DEAD when the push will not be tried again. */
  status: 'RETRYING' | 'DEAD';
  /** Attempts made so far, this one included. */
  attempts: number;
  errorCode: string;
  errorMessage: string;
}
