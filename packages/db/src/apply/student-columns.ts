import type { FieldVersions, StudentPatch, StudentVersions, VersionedField } from '@student-sync/domain';
import { type KeyedHasher, type Keyring, maskBankCard, maskIdNumber } from '@student-sync/privacy';
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

/** Reads the per-field versions of a stored student. */
export function versionsOf(student: Student): StudentVersions {
  const versions = Object.fromEntries(
    Object.entries(VERSION_COLUMNS).map(([field, column]) => [field, student[column]]),
  ) as FieldVersions;
  return { studentNo: student.studentNo, versions };
}

/** Converts new plaintext values and versions to columns; ID and bank card numbers are sealed, hashed and masked. */
export function toColumns(patch: StudentPatch, versions: Partial<FieldVersions>, keys: PersonalDataKeys) {
  const { idNumber, bankCard, ...plain } = patch;
  const columns: Record<string, unknown> = { ...plain };
  for (const [field, version] of Object.entries(versions)) {
    columns[VERSION_COLUMNS[field as VersionedField]] = version;
  }
  if (idNumber !== undefined) Object.assign(columns, protect('idNumber', idNumber, maskIdNumber, keys));
  if (bankCard !== undefined) Object.assign(columns, protect('bankCard', bankCard, maskBankCard, keys));
  return columns as Partial<Student>;
}

function protect(prefix: 'idNumber' | 'bankCard', value: string | null, mask: (value: string) => string, keys: PersonalDataKeys) {
  return {
    [`${prefix}Sealed`]: value === null ? null : keys.keyring.seal(value),
    [`${prefix}Hash`]: value === null ? null : keys.hasher.hash(value),
    [`${prefix}Masked`]: value === null ? null : mask(value),
  };
}
