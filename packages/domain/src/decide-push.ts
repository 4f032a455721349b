import { maskBankCard } from '@student-sync/privacy';
import { changeVersion, isAtLeast, parseChangeTime } from './change-time.ts';
import { emptyVersions, type HistoryEntry, type PushDecision, type StudentVersions, type VersionedField } from './decision.ts';
import { ApplyError } from './errors.ts';
import { type ChangeDetail, isKnownChangeType, type KnownChangeType, type Push } from './push.ts';

const FIELD_OF_CHANGE_TYPE: Record<KnownChangeType, VersionedField> = {
  XH: 'studentNo',
  KZ_BJ_ID: 'class',
  KZ_YHKH: 'bankCard',
  KZ_ZT: 'status',
};

/** Examinee numbers (ksh) of the national college entrance exam are usually 14 digits. */
const REGULAR_EXAMINEE_NO = /^\d{14}$/;

/** A run of digits long enough to be a card number, in a name field that should hold none. */
const CARD_LIKE_DIGITS = /\d{8,}/;

/**
 * Decides how one push changes a student, field by field. Every change in the push has
 * the version `<bg_sj>:<body sha256>` and overwrites a field only when that version is at
 * least the field's current one, so any delivery order ends in the state that applying
 * the pushes in bg_sj order gives. Equal versions occur only within one push, where a
 * later detail overrides an earlier one.
 *
 * Throws STUDENT_NOT_FOUND for an UPDATE when `current` is null; the caller retries it,
 * because the ADD may still be in flight.
 */
export function decidePush(push: Push, current: StudentVersions | null): PushDecision {
  if (current === null && push.operation === 'UPDATE') {
    throw new ApplyError('STUDENT_NOT_FOUND', `还没有学号为 ${push.studentNo} 的学生, 其 ADD 可能仍在队列中 (no student has number ${push.studentNo} yet; its ADD may still be in flight)`);
  }

  const builder = new DecisionBuilder(push, current);
  push.details.forEach((detail, index) => builder.applyDetail(detail, index));
  builder.applyBodyFields();
  return builder.build();
}

class DecisionBuilder {
  private readonly version: string;
  private readonly versions;
  private readonly decision: PushDecision;
  private readonly usedNumbers = new Set<string>();

  constructor(
    private readonly push: Push,
    current: StudentVersions | null,
  ) {
    this.version = changeVersion(push.changeTime, push.bodySha256);
    this.versions = current ? { ...current.versions } : emptyVersions();
    this.decision = {
      creates: current === null,
      patch: {},
      versions: {},
      studentNo: current?.studentNo ?? push.studentNo,
      aliases: [],
      changedAt: parseChangeTime(push.changeTime) ?? invalidChangeTime(push.changeTime),
      history: [],
    };
    this.usedNumbers.add(push.studentNo);
    if (current === null) this.write('studentNo', { studentNo: push.studentNo });
  }

  applyDetail(detail: ChangeDetail, detailIndex: number): void {
    const changeType = detail.changeType;
    if (!isKnownChangeType(changeType)) {
      this.record(detail, detailIndex, 'IGNORED');
      return;
    }

    if (changeType === 'XH') this.noteNumbers(detail);
    const field = FIELD_OF_CHANGE_TYPE[changeType];
    if (!isAtLeast(this.version, this.versions[field])) {
      this.record(detail, detailIndex, 'SUPERSEDED');
      return;
    }

    this.write(field, this.patchFor(changeType, detail));
    this.record(detail, detailIndex, 'APPLIED');
  }

  /** Applies ksh, xm and sfzh, which state the current values as of bg_sj. */
  applyBodyFields(): void {
    const { examineeNo, name, idNumber } = this.push;
    if (examineeNo !== null && this.isCurrent('examineeNo')) {
      this.write('examineeNo', { examineeNo, examineeNoIrregular: !REGULAR_EXAMINEE_NO.test(examineeNo) });
    }
    if (name !== null && this.isCurrent('name')) this.write('name', { name });
    if (idNumber !== null && this.isCurrent('idNumber')) this.write('idNumber', { idNumber });
  }

  build(): PushDecision {
    this.decision.aliases = [...this.usedNumbers].filter((number) => number !== this.decision.studentNo).sort();
    return this.decision;
  }

  private patchFor(changeType: KnownChangeType, detail: ChangeDetail) {
    switch (changeType) {
      case 'XH':
        return { studentNo: this.newStudentNo(detail) };
      case 'KZ_BJ_ID':
        return { classCode: detail.afterCode, className: detail.afterName };
      case 'KZ_YHKH':
        return { bankCard: blankToNull(detail.afterCode) };
      case 'KZ_ZT':
        return { statusCode: detail.afterCode, statusName: detail.afterName };
    }
  }

  private isCurrent(field: VersionedField): boolean {
    return isAtLeast(this.version, this.versions[field]);
  }

  private write(field: VersionedField, values: PushDecision['patch']): void {
    Object.assign(this.decision.patch, values);
    this.decision.versions[field] = this.version;
    this.versions[field] = this.version;
    if (values.studentNo !== undefined) this.decision.studentNo = values.studentNo;
  }

  /** Returns the new number of an XH detail: bgh_dm, or xh when bgh_dm is empty. */
  private newStudentNo(detail: ChangeDetail): string {
    return blankToNull(detail.afterCode) ?? this.push.studentNo;
  }

  private noteNumbers(detail: ChangeDetail): void {
    const before = blankToNull(detail.beforeCode);
    if (before !== null) this.usedNumbers.add(before);
    this.usedNumbers.add(this.newStudentNo(detail));
  }

  private record(detail: ChangeDetail, detailIndex: number, outcome: HistoryEntry['outcome']): void {
    const entry: HistoryEntry = { detailIndex, ...detail, outcome };
    this.decision.history.push(detail.changeType === 'KZ_YHKH' ? maskCardEntry(entry) : entry);
  }
}

/** Masks card numbers in a bank card history entry; names are kept unless they look like card numbers. */
function maskCardEntry(entry: HistoryEntry): HistoryEntry {
  const maskCode = (value: string | null) => (value === null ? null : maskBankCard(value));
  const maskName = (value: string | null) => (value !== null && CARD_LIKE_DIGITS.test(value) ? maskBankCard(value) : value);
  return {
    ...entry,
    beforeCode: maskCode(entry.beforeCode),
    afterCode: maskCode(entry.afterCode),
    beforeName: maskName(entry.beforeName),
    afterName: maskName(entry.afterName),
  };
}

function blankToNull(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function invalidChangeTime(changeTime: string): never {
  throw new ApplyError('INVALID_PUSH', `bg_sj ${changeTime} 不是有效的 yyyyMMddHHmmss 时间 (bg_sj ${changeTime} is not a valid yyyyMMddHHmmss time)`);
}
