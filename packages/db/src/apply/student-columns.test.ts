import { randomBytes } from 'node:crypto';
import { KeyedHasher, Keyring } from '@student-sync/privacy';
import { describe, expect, it } from 'vitest';
import type { Student } from '../generated/prisma/client.ts';
import { type PersonalDataKeys, toColumns } from './student-columns.ts';

const keyText = () => randomBytes(32).toString('base64');
const hasher = new KeyedHasher(randomBytes(32));
const keysWith = (keyring: Keyring): PersonalDataKeys => ({ keyring, hasher });
const keys = keysWith(Keyring.parse(`k1:${keyText()}`));

/** Builds a stored student whose ID and bank card columns come from `toColumns`. */
function storedStudent(idNumber: string, bankCard: string, writer = keys): Student {
  return toColumns({ idNumber, bankCard }, {}, writer) as Student;
}

describe('toColumns', () => {
  it('seals, hashes and masks new values', () => {
    const columns = toColumns({ idNumber: '11010519900101123X' }, {}, keys);
    expect(keys.keyring.open(columns.idNumberSealed!)).toBe('11010519900101123X');
    expect(columns.idNumberHash).toBe(hasher.hash('11010519900101123X'));
    expect(columns.idNumberMasked).toBe('110105********123X');
  });

  it('keeps the stored columns of an unchanged value', () => {
    const stored = storedStudent('11010519900101123X', '6222020200112233445');
    const columns = toColumns({ idNumber: '11010519900101123X', bankCard: '6222020200112233445' }, { idNumber: 'v2' }, keys, stored);
    expect(columns).not.toHaveProperty('idNumberSealed');
    expect(columns).not.toHaveProperty('bankCardSealed');
    expect(columns.idNumberVersion).toBe('v2');
  });

  it('seals a changed value again', () => {
    const stored = storedStudent('110105199001011234', '6222020200112233445');
    const columns = toColumns({ idNumber: '110105199001015678' }, {}, keys, stored);
    expect(keys.keyring.open(columns.idNumberSealed!)).toBe('110105199001015678');
    expect(columns.idNumberMasked).toBe('110105********5678');
  });

  it('seals a value that differs only in case', () => {
    const stored = storedStudent('11010519900101123x', '6222020200112233445');
    const columns = toColumns({ idNumber: '11010519900101123X' }, {}, keys, stored);
    expect(keys.keyring.open(columns.idNumberSealed!)).toBe('11010519900101123X');
  });

  it('seals a value whose hidden letters differ in case', () => {
    const stored = storedStudent('ab12cd34ef56gh78', '6222020200112233445');
    const columns = toColumns({ idNumber: 'ab12cd34EF56gh78' }, {}, keys, stored);
    expect(keys.keyring.open(columns.idNumberSealed!)).toBe('ab12cd34EF56gh78');
  });

  it('seals again with the active key after a rotation', () => {
    const stored = storedStudent('110105199001011234', '6222020200112233445');
    const rotated = keysWith(Keyring.parse(`k2:${keyText()},k1:${keyText()}`));
    const columns = toColumns({ idNumber: '110105199001011234' }, {}, rotated, stored);
    expect(Keyring.keyIdOf(columns.idNumberSealed!)).toBe('k2');
  });

  it('clears every column of a removed bank card', () => {
    const stored = storedStudent('110105199001011234', '6222020200112233445');
    const columns = toColumns({ bankCard: null }, {}, keys, stored);
    expect(columns).toMatchObject({ bankCardSealed: null, bankCardHash: null, bankCardMasked: null });
  });
});
