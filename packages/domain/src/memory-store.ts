import { decidePush } from './decide-push.ts';
import { ApplyError } from './errors.ts';
import { lookupNumbers } from './lookup.ts';
import { parsePush } from './parse-push.ts';
import { applyDecision, type StudentRecord } from './student-record.ts';

/**
 * In-memory student store that applies pushes with the same rules as the database
 * applier: look-up by number then alias, one apply per distinct body, number conflicts.
 * It is the reference for tests and for computing an expected state from a push stream.
 */
export class MemoryStudentStore {
  private readonly students = new Map<number, StudentRecord>();
  private readonly numberIndex = new Map<string, number>();
  private readonly aliasIndex = new Map<string, number>();
  private readonly appliedBodies = new Set<string>();
  private nextId = 1;

  /** Applies one raw push body; a body applied before changes nothing. Throws ApplyError. */
  apply(rawBody: string): void {
    const push = parsePush(rawBody);
    if (this.appliedBodies.has(push.bodySha256)) return;

    const id = this.findStudentId(lookupNumbers(push));
    const current = id === undefined ? null : this.students.get(id)!;
    const decision = decidePush(push, current);
    const holder = this.numberIndex.get(decision.studentNo);
    if (holder !== undefined && holder !== id) {
      throw new ApplyError('STUDENT_NO_CONFLICT', `学号 ${decision.studentNo} 已属于另一名学生 (student number ${decision.studentNo} belongs to another student)`);
    }

    const studentId = id ?? this.nextId++;
    if (current !== null) this.numberIndex.delete(current.studentNo);
    this.students.set(studentId, applyDecision(current, decision));
    this.numberIndex.set(decision.studentNo, studentId);
    this.aliasIndex.delete(decision.studentNo);
    for (const alias of decision.aliases) if (!this.aliasIndex.has(alias)) this.aliasIndex.set(alias, studentId);
    this.appliedBodies.add(push.bodySha256);
  }

  /** Returns every student, keyed by current student number. */
  snapshot(): Map<string, StudentRecord> {
    return new Map([...this.students.values()].map((record) => [record.studentNo, record]));
  }

  /** Returns the aliases of each student, keyed by current student number, sorted. */
  aliases(): Map<string, string[]> {
    const byStudent = new Map<string, string[]>();
    for (const [alias, id] of [...this.aliasIndex].sort()) {
      const studentNo = this.students.get(id)!.studentNo;
      byStudent.set(studentNo, [...(byStudent.get(studentNo) ?? []), alias]);
    }
    return byStudent;
  }

  private findStudentId(numbers: string[]): number | undefined {
    const found = new Set<number>();
    for (const number of numbers) {
      const id = this.numberIndex.get(number) ?? this.aliasIndex.get(number);
      if (id !== undefined) found.add(id);
    }
    if (found.size > 1) {
      throw new ApplyError('STUDENT_NO_CONFLICT', `学号 ${numbers.join(', ')} 分属不同的学生 (student numbers ${numbers.join(', ')} belong to different students)`);
    }
    return [...found][0];
  }
}
