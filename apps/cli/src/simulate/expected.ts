import { createHash } from 'node:crypto';

/** Expected final record of one student, personal data in plaintext. */
export interface ExpectedStudent {
  studentNo: string;
  /** Numbers the student had before a re-key (XH), sorted. */
  formerStudentNos: string[];
  examineeNo: string | null;
  name: string | null;
  idNumber: string | null;
  classCode: string | null;
  className: string | null;
  bankCard: string | null;
  statusCode: string | null;
  statusName: string | null;
}

interface RawDetail {
  bg_lx?: string | null;
  bgq_dm?: string | null;
  bgq_mc?: string | null;
  bgh_dm?: string | null;
  bgh_mc?: string | null;
}

interface RawPush {
  xh: string;
  ksh?: string | null;
  bg_sj: string;
  sfzh?: string | null;
  xm?: string | null;
  cz_lx: string;
  bg_mx_list?: RawDetail[] | null;
}

interface VersionedPush {
  push: RawPush;
  /** `<bg_sj>:<sha256 hex of the body>`; text order is change order. */
  version: string;
}

/** A value that is overwritten only by a change with a greater or equal version. */
class Latest<T> {
  private version = '';
  value: T | null = null;

  offer(version: string, value: T | null): void {
    if (version >= this.version) {
      this.version = version;
      this.value = value;
    }
  }
}

/**
 * Computes the final state of every student from a set of push bodies, independent of the
 * order they arrive in. Identical bodies count once. Per field, the change with the greatest
 * (bg_sj, SHA-256 of the body) wins, and a later detail of the same push overrides an
 * earlier one. Pushes are grouped into students by their numbers (xh and both sides of XH
 * details), and each student is keyed by its final number.
 *
 * NOTE: an ADD sets the student number only when it creates the student, so for a student
 * with several different ADD bodies this may pick another number than the service does. The
 * simulator sends one ADD per student.
 */
export function computeExpectedState(bodies: Iterable<string>): ExpectedStudent[] {
  const unique = new Map<string, VersionedPush>();
  for (const body of bodies) {
    const hash = createHash('sha256').update(body, 'utf8').digest('hex');
    if (unique.has(hash)) continue;
    const push = JSON.parse(body) as RawPush;
    push.xh = push.xh.trim();
    unique.set(hash, { push, version: `${push.bg_sj}:${hash}` });
  }

  return groupByStudent([...unique.values()])
    .map(foldStudent)
    .sort((a, b) => a.studentNo.localeCompare(b.studentNo));
}

function groupByStudent(pushes: VersionedPush[]): VersionedPush[][] {
  const numbers = new NumberGroups();
  for (const { push } of pushes) {
    for (const detail of xhDetails(push)) {
      numbers.join(push.xh, blank(detail.bgq_dm) ?? push.xh);
      numbers.join(push.xh, blank(detail.bgh_dm) ?? push.xh);
    }
  }

  const groups = new Map<string, VersionedPush[]>();
  for (const entry of pushes) {
    const root = numbers.rootOf(entry.push.xh);
    const group = groups.get(root);
    if (group) group.push(entry);
    else groups.set(root, [entry]);
  }
  return [...groups.values()];
}

function foldStudent(pushes: VersionedPush[]): ExpectedStudent {
  const fields = {
    studentNo: new Latest<string>(),
    examineeNo: new Latest<string>(),
    name: new Latest<string>(),
    idNumber: new Latest<string>(),
    klass: new Latest<[string | null, string | null]>(),
    bankCard: new Latest<string>(),
    status: new Latest<[string | null, string | null]>(),
  };
  const numbers = new Set<string>();

  for (const { push, version } of pushes) {
    numbers.add(push.xh);
    if (push.cz_lx === 'ADD') fields.studentNo.offer(version, push.xh);
    for (const detail of push.bg_mx_list ?? []) {
      const type = detail.bg_lx?.trim();
      if (type === 'XH') {
        const next = blank(detail.bgh_dm) ?? push.xh;
        fields.studentNo.offer(version, next);
        numbers.add(next);
        const before = blank(detail.bgq_dm);
        if (before) numbers.add(before);
      } else if (type === 'KZ_BJ_ID') {
        fields.klass.offer(version, [detail.bgh_dm ?? null, detail.bgh_mc ?? null]);
      } else if (type === 'KZ_YHKH') {
        fields.bankCard.offer(version, blank(detail.bgh_dm));
      } else if (type === 'KZ_ZT') {
        fields.status.offer(version, [detail.bgh_dm ?? null, detail.bgh_mc ?? null]);
      }
    }
    // Body fields state current values; an empty one never clears a field.
    offerPresent(fields.examineeNo, version, push.ksh);
    offerPresent(fields.name, version, push.xm);
    offerPresent(fields.idNumber, version, push.sfzh);
  }

  const studentNo = fields.studentNo.value ?? [...numbers][0]!;
  numbers.delete(studentNo);
  return {
    studentNo,
    formerStudentNos: [...numbers].sort(),
    examineeNo: fields.examineeNo.value,
    name: fields.name.value,
    idNumber: fields.idNumber.value,
    classCode: fields.klass.value?.[0] ?? null,
    className: fields.klass.value?.[1] ?? null,
    bankCard: fields.bankCard.value,
    statusCode: fields.status.value?.[0] ?? null,
    statusName: fields.status.value?.[1] ?? null,
  };
}

function offerPresent(field: Latest<string>, version: string, value: string | null | undefined): void {
  const present = blank(value);
  if (present !== null) field.offer(version, present);
}

function xhDetails(push: RawPush): RawDetail[] {
  return (push.bg_mx_list ?? []).filter((detail) => detail.bg_lx?.trim() === 'XH');
}

function blank(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Union-find over student numbers: numbers joined by a re-key belong to one student. */
class NumberGroups {
  private readonly parent = new Map<string, string>();

  rootOf(number: string): string {
    let root = number;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(number, root);
    return root;
  }

  join(a: string, b: string): void {
    const rootA = this.rootOf(a);
    const rootB = this.rootOf(b);
    if (rootA !== rootB) this.parent.set(rootA, rootB);
  }
}
