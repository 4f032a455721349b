import { randomUUID } from 'node:crypto';
import { ApplyError, countChanges, decidePush, type HistoryEntry, lookupNumbers, type PushDecision } from '@student-sync/domain';
import type { GroupArchive } from './group-archive.ts';
import { type PersonalDataKeys, versionsOf, writeColumns } from '../apply/student-columns.ts';
import type { ApplyResult } from '../apply/types.ts';
import type { Student } from '../generated/prisma/client.ts';
import type { LoadedStudents } from './load-students.ts';
import type { BatchItem, BatchOutcome } from './types.ts';

/** A history row to insert, in the columns of student_changes. */
export interface HistoryRow extends HistoryEntry {
  studentId: string;
  /** Idempotency key of the push. Its archive row id is known only after the insert. */
  pushKey: string;
  batchNo: string | null;
  /** bg_sj of the push as ISO 8601 text, written once per push instead of once per row. */
  changedAt: string;
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
  readonly history: HistoryRow[] = [];

  constructor(
    loaded: LoadedStudents,
    private readonly archive: GroupArchive,
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
  apply(item: BatchItem): BatchOutcome {
    const key = item.archived.idempotencyKey;
    if (this.archive.isApplied(key)) {
      return { ok: true, result: this.archive.track(key, { status: 'already-applied', pushId: 0n }) };
    }
    let result: ApplyResult;
    try {
      result = this.applyNew(item);
    } catch (error) {
      this.archive.noteFailed(item);
      return { ok: false, error };
    }
    this.archive.noteApplied(item);
    return { ok: true, result: this.archive.track(key, result) };
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

  /** Applies a push that is not APPLIED yet. Its result gets the push id once the archive row is written. */
  private applyNew(item: BatchItem): ApplyResult {
    const { push } = item;
    const currentId = this.findStudentId(lookupNumbers(push));
    const current = currentId === undefined ? null : this.students.get(currentId)!;
    const decision = decidePush(push, current === null ? null : versionsOf(current));
    this.assertNumberFree(currentId, decision.studentNo);

    const studentId = current === null ? this.create(decision) : this.update(current, decision);
    this.keepAliases(studentId, decision);
    const pushKey = item.archived.idempotencyKey;
    const changedAt = decision.changedAt.toISOString();
    for (const entry of decision.history) this.history.push(historyRow(entry, studentId, pushKey, push.batchNo, changedAt));

    return { status: 'applied', pushId: 0n, studentId, created: decision.creates, changes: countChanges(decision.history) };
  }

  /** Resolves each number through current numbers first and aliases second, as findAndLockStudent does. */
  private findStudentId(numbers: string[]): string | undefined {
    let found: string | undefined;
    for (const number of numbers) {
      const id = this.idByNumber.get(number) ?? this.aliases.get(number);
      if (id === undefined || id === found) continue;
      if (found !== undefined) throw this.conflictOf(numbers);
      found = id;
    }
    return found;
  }

  private conflictOf(numbers: string[]): ApplyError {
    const ids = new Set(numbers.map((number) => this.idByNumber.get(number) ?? this.aliases.get(number)).filter((id) => id !== undefined));
    return new ApplyError('STUDENT_NO_CONFLICT', `学号 ${numbers.join(', ')} 分属 ${ids.size} 名不同的学生 (student numbers ${numbers.join(', ')} belong to ${ids.size} different students)`);
  }

  private assertNumberFree(currentId: string | undefined, studentNo: string): void {
    const holder = this.idByNumber.get(studentNo);
    if (holder !== undefined && holder !== currentId) {
      throw new ApplyError('STUDENT_NO_CONFLICT', `学号 ${studentNo} 已属于另一名学生 (student number ${studentNo} already belongs to another student)`);
    }
  }

  private create(decision: PushDecision): string {
    const id = randomUUID();
    const student = emptyStudent(id, this.now);
    writeColumns(student, decision.patch, decision.versions, this.keys);
    student.studentNo = decision.studentNo;
    student.studentNoVersion = decision.versions.studentNo!;
    student.lastChangedAt = decision.changedAt;
    this.students.set(id, student);
    this.idByNumber.set(student.studentNo, id);
    this.created.add(id);
    return id;
  }

  private update(student: Student, decision: PushDecision): string {
    const previousNo = student.studentNo;
    writeColumns(student, decision.patch, decision.versions, this.keys, student);
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

function historyRow(entry: HistoryEntry, studentId: string, pushKey: string, batchNo: string | null, changedAt: string): HistoryRow {
  return {
    detailIndex: entry.detailIndex,
    changeType: entry.changeType,
    beforeCode: entry.beforeCode,
    beforeName: entry.beforeName,
    afterCode: entry.afterCode,
    afterName: entry.afterName,
    outcome: entry.outcome,
    studentId,
    pushKey,
    batchNo,
    changedAt,
  };
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
