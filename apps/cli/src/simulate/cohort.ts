import { idNumberCheckChar, luhnCheckDigit } from './check-digits.ts';
import { type Random } from './random.ts';
import {
  AREAS,
  BANKS,
  type CodeName,
  FEMALE_GIVEN_CHARS,
  MAJORS,
  MALE_GIVEN_CHARS,
  type Major,
  STATUS,
  SURNAMES,
} from './reference-data.ts';

/** Master data of one simulated student at a point in time, as the fee platform has it. */
export interface SimStudent {
  /** Stable index in the cohort; never sent. */
  key: number;
  grade: number;
  studentNo: string;
  examineeNo: string;
  name: string;
  idNumber: string;
  major: Major;
  classNo: number;
  class: CodeName;
  bankCard: CodeName;
  status: CodeName;
}

/** Classes per major and grade; class numbers run from 1 to this. */
export const CLASSES_PER_MAJOR = 4;

/**
 * Creates students with unique student numbers, examinee numbers, ID numbers and bank
 * cards. Student numbers read `<grade><college+major><class digit><3-digit sequence>`.
 */
export class CohortFactory {
  private readonly usedIdNumbers = new Set<string>();
  private readonly usedExamineeNos = new Set<string>();
  private readonly usedBankCards = new Set<string>();
  private readonly classSequences = new Map<string, number>();
  private nextKey = 0;

  constructor(private readonly random: Random) {}

  createStudent(grade: number): SimStudent {
    const male = this.random.chance(0.52);
    const areaCode = this.random.pick(AREAS).code;
    const major = this.random.pick(MAJORS);
    const classNo = this.random.int(1, CLASSES_PER_MAJOR);
    return {
      key: this.nextKey++,
      grade,
      studentNo: this.nextStudentNo(grade, major, classNo),
      examineeNo: this.createExamineeNo(grade, areaCode),
      name: this.createName(male),
      idNumber: this.createIdNumber(grade, areaCode, male),
      major,
      classNo,
      class: classOf(grade, major, classNo),
      bankCard: this.createBankCard(),
      status: STATUS.enrolled,
    };
  }

  nextStudentNo(grade: number, major: Major, classNo: number): string {
    const classKey = `${grade}${major.code}${classNo}`;
    const sequence = (this.classSequences.get(classKey) ?? 0) + 1;
    if (sequence > 999) throw new RangeError(`class ${classKey} ran out of student numbers`);
    this.classSequences.set(classKey, sequence);
    return classKey + String(sequence).padStart(3, '0');
  }

  createBankCard(): CodeName {
    const bank = this.random.pickWeighted(BANKS);
    for (;;) {
      const payload = bank.bin + this.random.digits(bank.length - bank.bin.length - 1);
      const number = payload + luhnCheckDigit(payload);
      if (this.claim(this.usedBankCards, number)) return { code: number, name: bank.name };
    }
  }

  private createName(male: boolean): string {
    const surname = this.random.pickWeighted(SURNAMES);
    const pool = male ? MALE_GIVEN_CHARS : FEMALE_GIVEN_CHARS;
    const givenName = this.random.chance(0.3) ? this.random.pick(pool) : this.random.pick(pool) + this.random.pick(pool);
    return surname + givenName;
  }

  private createIdNumber(grade: number, areaCode: string, male: boolean): string {
    for (;;) {
      const birthYear = grade - 18 + this.random.int(-1, 1);
      const birthDate = `${birthYear}${pad2(this.random.int(1, 12))}${pad2(this.random.int(1, 28))}`;
      // The 17th digit is odd for men and even for women (GB 11643).
      const genderDigit = this.random.int(0, 4) * 2 + (male ? 1 : 0);
      const first17 = `${areaCode}${birthDate}${pad2(this.random.int(0, 99))}${genderDigit}`;
      const idNumber = first17 + idNumberCheckChar(first17);
      if (this.claim(this.usedIdNumbers, idNumber)) return idNumber;
    }
  }

  /** Examinee numbers (考生号) read `<2-digit year><6-digit area code><6-digit sequence>`. */
  private createExamineeNo(grade: number, areaCode: string): string {
    for (;;) {
      const examineeNo = String(grade % 100).padStart(2, '0') + areaCode + this.random.digits(6);
      if (this.claim(this.usedExamineeNos, examineeNo)) return examineeNo;
    }
  }

  private claim(used: Set<string>, value: string): boolean {
    if (used.has(value)) return false;
    used.add(value);
    return true;
  }
}

/** Class codes read `<grade><college+major><2-digit class>`; names `<major><yy><2-digit class>班`. */
export function classOf(grade: number, major: Major, classNo: number): CodeName {
  const yy = String(grade % 100).padStart(2, '0');
  return { code: `${grade}${major.code}${pad2(classNo)}`, name: `${major.name}${yy}${pad2(classNo)}班` };
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
