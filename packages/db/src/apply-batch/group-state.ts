import { randomUUID } from 'node:crypto';
import { ApplyError, countChanges, decidePush, type HistoryEntry, lookupNumbers, type PushDecision } from '@student-sync/domain';
import type { ArchiveRow } from './archive-rows.ts';
import { type PersonalDataKeys, toColumns, versionsOf } from '../apply/student-columns.ts';
import type { ApplyResult } from '../apply/types.ts';
import type { Student } from '../generated/prisma/client.ts';
import type { LoadedStudents } from './load-students.ts';
import type { BatchItem, BatchOutcome } from './types.ts';

/** A history row to insert, in the columns of student_changes. */
export interface HistoryRow extends HistoryEntry {
  studentId: string;
  pushId: bigint;
  batchNo: string | null;
  changedAt: Date;
}

/**
 * The students of one group in memory. Pushes are applied one after another with the rules
 * of the single-push applier (look-up by number then alias, decidePush, the number-conflict
 * check, alias upkeep), so the writes at the end equal applying them one by one in order.
 * A push that throws changes nothing here: every check runs before the first change.
 */
export class GroupState {
  private readonly students = new Map<string, Student>();
  private readonly idByNumber = new Map<string, string>();
  private readonly aliases: Map<string, string>;
  private readonly initialAliases: ReadonlyMap<string, string>;
  private readonly created = new Set<string>();
  private readonly updated = new Set<string>();
  private readonly appliedKeys = new Set<string>();
  readonly history: HistoryRow[] = [];
  readonly appliedPushes: Array<{ pushId: bigint; attempt: number }> = [];

  constructor(
    loaded: LoadedStudents,
    private readonly keys: PersonalDataKeys,
    private readonly now: Date,
  ) {
    for (const student of loaded.students) {
      this.students.set(student.id, { ...student });
      this.idByNumber.set(student.studentNo, student.id);
    }
    this.aliases = new Map(loaded.aliases);
    this.initialAliases = loaded.aliases;
  }

  /** Applies one push; returns its result or the error the single-push applier would throw. */
  apply(item: BatchItem, archive: ArchiveRow): BatchOutcome {
    if (archive.status === 'APPLIED' || this.appliedKeys.has(item.archived.idempotencyKey)) {
      return { ok: true, result: { status: 'already-applied', pushId: archive.id } };
    }
    try {
      return { ok: true, result: this.applyNew(item, archive.id) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Students created by the group, in their final state. */
  createdStudents(): Student[] {
    return [...this.created].map((id) => this.students.get(id)!);
  }

  /** Stored students the group changed, in their final state. */
  updatedStudents(): Student[] {
    return [...this.updated].map((id) => this.students.get(id)!);
  }

  /** Alias numbers to delete, then alias rows to insert, so the table ends as the group left it. */
  aliasChanges(): { removed: string[]; added: Array<{ studentNo: string; studentId: string }> } {
    const removed: string[] = [];
    const added: Array<{ studentNo: string; studentId: string }> = [];
    for (const number of new Set([...this.initialAliases.keys(), ...this.aliases.keys()])) {
      const before = this.initialAliases.get(number);
      const after = this.aliases.get(number);
      if (before === after) continue;
      if (before !== undefined) removed.push(number);
      if (after !== undefined) added.push({ studentNo: number, studentId: after });
    }
    return { removed, added };
  }

  private applyNew(item: BatchItem, pushId: bigint): ApplyResult {
    const { push } = item;
    const currentId = this.findStudentId(lookupNumbers(push));
    const current = currentId === undefined ? null : this.students.get(currentId)!;
    const decision = decidePush(push, current === null ? null : versionsOf(current));
    this.assertNumberFree(currentId, decision.studentNo);

    const studentId = current === null ? this.create(decision) : this.update(current, decision);
    this.keepAliases(studentId, decision);
    for (const entry of decision.history) this.history.push({ ...entry, studentId, pushId, batchNo: push.batchNo, changedAt: decision.changedAt });
    this.appliedPushes.push({ pushId, attempt: item.attempt });
    this.appliedKeys.add(item.archived.idempotencyKey);

    return { status: 'applied', pushId, studentId, created: decision.creates, changes: countChanges(decision.history) };
  }

  /** Resolves each number through current numbers first and aliases second, as findAndLockStudent does. */
  private findStudentId(numbers: string[]): string | undefined {
    const ids = new Set<string>();
    for (const number of numbers) {
      const id = this.idByNumber.get(number) ?? this.aliases.get(number);
      if (id !== undefined) ids.add(id);
    }
    if (ids.size > 1) {
      throw new ApplyError('STUDENT_NO_CONFLICT', `student numbers ${numbers.join(', ')} belong to ${ids.size} different students`);
    }
    return [...ids][0];
  }

  private assertNumberFree(currentId: string | undefined, studentNo: string): void {
    const holder = this.idByNumber.get(studentNo);
    if (holder !== undefined && holder !== currentId) {
      throw new ApplyError('STUDENT_NO_CONFLICT', `student number ${studentNo} already belongs to another student`);
    }
  }

  private create(decision: PushDecision): string {
    const id = randomUUID();
    const student: Student = {
      ...emptyStudent(id, this.now),
      ...toColumns(decision.patch, decision.versions, this.keys),
      studentNo: decision.studentNo,
      studentNoVersion: decision.versions.studentNo!,
      lastChangedAt: decision.changedAt,
    };
    this.students.set(id, student);
    this.idByNumber.set(student.studentNo, id);
    this.created.add(id);
    return id;
  }

  private update(student: Student, decision: PushDecision): string {
    const previousNo = student.studentNo;
    Object.assign(student, toColumns(decision.patch, decision.versions, this.keys, student));
    if (decision.changedAt > student.lastChangedAt) student.lastChangedAt = decision.changedAt;
    if (student.studentNo !== previousNo) {
      this.idByNumber.delete(previousNo);
      this.idByNumber.set(student.studentNo, student.id);
    }
    if (!this.created.has(student.id)) this.updated.add(student.id);
    return student.id;
  }

  /** Drops the current number from the aliases and adds the push's other numbers that no student has as an alias yet. */
  private keepAliases(studentId: string, decision: PushDecision): void {
    this.aliases.delete(decision.studentNo);
    for (const number of decision.aliases) {
      if (!this.aliases.has(number)) this.aliases.set(number, studentId);
    }
  }
}

function emptyStudent(id: string, now: Date): Student {
  return {
    id,
    studentNo: '',
    studentNoVersion: '',
    examineeNo: null,
    examineeNoIrregular: false,
    examineeNoVersion: null,
    name: null,
    nameVersion: null,
    idNumberSealed: null,
    idNumberHash: null,
    idNumberMasked: null,
    idNumberVersion: null,
    classCode: null,
    className: null,
    classVersion: null,
    bankCardSealed: null,
    bankCardHash: null,
    bankCardMasked: null,
    bankCardVersion: null,
    statusCode: null,
    statusName: null,
    statusVersion: null,
    lastChangedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}
