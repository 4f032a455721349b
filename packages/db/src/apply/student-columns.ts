import type { FieldVersions, StudentPatch, StudentVersions, VersionedField } from '@student-sync/domain';
import { type KeyedHasher, Keyring, maskBankCard, maskIdNumber } from '@student-sync/privacy';
import type { Student } from '../generated/prisma/client.ts';

const VERSION_COLUMNS = {
  studentNo: 'studentNoVersion',
  examineeNo: 'examineeNoVersion',
  name: 'nameVersion',
  idNumber: 'idNumberVersion',
  class: 'classVersion',
  bankCard: 'bankCardVersion',
  status: 'statusVersion',
} as const satisfies Record<VersionedField, keyof Student>;

export interface PersonalDataKeys {
  keyring: Keyring;
  hasher: KeyedHasher;
}

/** The sealed, hashed and masked columns of one personal-data value, as stored. */
interface ProtectedColumns {
  sealed: string | null;
  hash: string | null;
  masked: string | null;
}

/** Reads the per-field versions of a stored student. */
export function versionsOf(student: Student): StudentVersions {
  const versions = Object.fromEntries(
    Object.entries(VERSION_COLUMNS).map(([field, column]) => [field, student[column]]),
  ) as FieldVersions;
  return { studentNo: student.studentNo, versions };
}

/**
 * Converts new plaintext values and versions to columns. ID and bank card numbers are sealed,
 * hashed and masked, unless `stored` already contains the same number: then its stored columns
 * stay as they are and the number is not sealed again.
 */
export function toColumns(patch: StudentPatch, versions: Partial<FieldVersions>, keys: PersonalDataKeys, stored?: Student | null) {
  const { idNumber, bankCard, ...plain } = patch;
  const columns: Record<string, unknown> = { ...plain };
  for (const [field, version] of Object.entries(versions)) {
    columns[VERSION_COLUMNS[field as VersionedField]] = version;
  }
  if (idNumber !== undefined) {
    const before = stored ? { sealed: stored.idNumberSealed, hash: stored.idNumberHash, masked: stored.idNumberMasked } : undefined;
    const after = protect(idNumber, maskIdNumber, keys, before);
    if (after !== before) Object.assign(columns, { idNumberSealed: after.sealed, idNumberHash: after.hash, idNumberMasked: after.masked });
  }
  if (bankCard !== undefined) {
    const before = stored ? { sealed: stored.bankCardSealed, hash: stored.bankCardHash, masked: stored.bankCardMasked } : undefined;
    const after = protect(bankCard, maskBankCard, keys, before);
    if (after !== before) Object.assign(columns, { bankCardSealed: after.sealed, bankCardHash: after.hash, bankCardMasked: after.masked });
  }
  return columns as Partial<Student>;
}

/** Returns `stored` itself when it already contains `value`, or new columns for `value`. */
function protect(value: string | null, mask: (value: string) => string, keys: PersonalDataKeys, stored?: ProtectedColumns): ProtectedColumns {
  if (value === null) return { sealed: null, hash: null, masked: null };
  if (stored && containsValue(stored, value, mask, keys)) return stored;
  return { sealed: keys.keyring.seal(value), hash: keys.hasher.hash(value), masked: mask(value) };
}

/**
 * Checks whether the stored columns contain exactly `value`, sealed with the active key. The keyed
 * hash ignores case and surrounding spaces. Stored values were trimmed before sealing, like
 * every value a push sets, so the new value must be trimmed, its masked form must match, and
 * each character the mask hides must have no case. Otherwise the value is sealed again, which
 * also moves a value sealed with an older key to the active key.
 */
function containsValue(stored: ProtectedColumns, value: string, mask: (value: string) => string, keys: PersonalDataKeys): boolean {
  if (stored.sealed === null || stored.hash === null || stored.masked === null) return false;
  if (Keyring.keyIdOf(stored.sealed) !== keys.keyring.activeKeyId) return false;
  const masked = mask(value);
  if (masked !== stored.masked || value !== value.trim() || !hiddenCharactersHaveNoCase(value, masked)) return false;
  return keys.hasher.hash(value) === stored.hash;
}

function hiddenCharactersHaveNoCase(value: string, masked: string): boolean {
  const characters = [...value];
  const maskCharacters = [...masked];
  return characters.every((character, index) => maskCharacters[index] !== '*' || character.toUpperCase() === character.toLowerCase());
}
