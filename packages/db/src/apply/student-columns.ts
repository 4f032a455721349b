import type { FieldVersions, StudentPatch, StudentVersions } from '@student-sync/domain';
import { type KeyedHasher, Keyring, maskBankCard, maskIdNumber } from '@student-sync/privacy';
import type { Student } from '../generated/prisma/client.ts';

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

const CLEARED: ProtectedColumns = Object.freeze({ sealed: null, hash: null, masked: null });

/** Reads the per-field versions of a stored student. */
export function versionsOf(student: Student): StudentVersions {
  return {
    studentNo: student.studentNo,
    versions: {
      studentNo: student.studentNoVersion,
      examineeNo: student.examineeNoVersion,
      name: student.nameVersion,
      idNumber: student.idNumberVersion,
      class: student.classVersion,
      bankCard: student.bankCardVersion,
      status: student.statusVersion,
    },
  };
}

/**
 * Converts new plaintext values and versions to columns. ID and bank card numbers are sealed,
 * hashed and masked, unless `stored` already contains the same number: then its stored columns
 * stay as they are and the number is not sealed again.
 */
export function toColumns(patch: StudentPatch, versions: Partial<FieldVersions>, keys: PersonalDataKeys, stored?: Student | null): Partial<Student> {
  const columns: Partial<Student> = {};
  writeColumns(columns, patch, versions, keys, stored);
  return columns;
}

/**
 * Writes the columns `toColumns` returns into `target`, which may be `stored` itself. Each
 * field is assigned on its own, so a complete Student keeps its set of properties.
 */
export function writeColumns(target: Partial<Student>, patch: StudentPatch, versions: Partial<FieldVersions>, keys: PersonalDataKeys, stored?: Student | null): void {
  writePlainColumns(target, patch);
  writeVersionColumns(target, versions);
  if (patch.idNumber !== undefined) {
    const before = stored ? { sealed: stored.idNumberSealed, hash: stored.idNumberHash, masked: stored.idNumberMasked } : undefined;
    const after = protect(patch.idNumber, maskIdNumber, keys, before);
    if (after !== before) {
      target.idNumberSealed = after.sealed;
      target.idNumberHash = after.hash;
      target.idNumberMasked = after.masked;
    }
  }
  if (patch.bankCard !== undefined) {
    const before = stored ? { sealed: stored.bankCardSealed, hash: stored.bankCardHash, masked: stored.bankCardMasked } : undefined;
    const after = protect(patch.bankCard, maskBankCard, keys, before);
    if (after !== before) {
      target.bankCardSealed = after.sealed;
      target.bankCardHash = after.hash;
      target.bankCardMasked = after.masked;
    }
  }
}

function writePlainColumns(target: Partial<Student>, patch: StudentPatch): void {
  if (patch.studentNo !== undefined) target.studentNo = patch.studentNo;
  if (patch.examineeNo !== undefined) target.examineeNo = patch.examineeNo;
  if (patch.examineeNoIrregular !== undefined) target.examineeNoIrregular = patch.examineeNoIrregular;
  if (patch.name !== undefined) target.name = patch.name;
  if (patch.classCode !== undefined) target.classCode = patch.classCode;
  if (patch.className !== undefined) target.className = patch.className;
  if (patch.statusCode !== undefined) target.statusCode = patch.statusCode;
  if (patch.statusName !== undefined) target.statusName = patch.statusName;
}

function writeVersionColumns(target: Partial<Student>, versions: Partial<FieldVersions>): void {
  // Versions are text or null; decidePush sets only the fields a push wrote, each to text.
  if (versions.studentNo !== undefined) target.studentNoVersion = versions.studentNo as string;
  if (versions.examineeNo !== undefined) target.examineeNoVersion = versions.examineeNo;
  if (versions.name !== undefined) target.nameVersion = versions.name;
  if (versions.idNumber !== undefined) target.idNumberVersion = versions.idNumber;
  if (versions.class !== undefined) target.classVersion = versions.class;
  if (versions.bankCard !== undefined) target.bankCardVersion = versions.bankCard;
  if (versions.status !== undefined) target.statusVersion = versions.status;
}

/** Returns `stored` itself when it already contains `value`, or new columns for `value`. */
function protect(value: string | null, mask: (value: string) => string, keys: PersonalDataKeys, stored?: ProtectedColumns): ProtectedColumns {
  if (value === null) return CLEARED;
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
