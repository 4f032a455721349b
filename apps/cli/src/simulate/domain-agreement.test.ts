import { MemoryStudentStore } from '@student-sync/domain';
import { describe, expect, it } from 'vitest';
import { type ExpectedStudent } from './expected.ts';
import { simulate } from './simulate.ts';

// The simulator computes the expected state on its own; this checks it against the
// service's rules, applied in delivery order by the domain's in-memory store.
describe('simulated stream under the domain rules', () => {
  const simulation = simulate({ seed: 'agreement', studentCount: 500, year: 2025, resendRatio: 0.05, delayRatio: 0.1, maxDisplacement: 200 });

  it('applies every delivery without an unknown student', () => {
    const store = new MemoryStudentStore();
    for (const body of simulation.deliveries) expect(() => store.apply(body)).not.toThrow();
  });

  it('ends in the expected state', () => {
    const store = new MemoryStudentStore();
    for (const body of simulation.deliveries) store.apply(body);
    const aliases = store.aliases();
    const actual: ExpectedStudent[] = [...store.snapshot().values()]
      .map((record) => ({
        studentNo: record.studentNo,
        formerStudentNos: aliases.get(record.studentNo) ?? [],
        examineeNo: record.examineeNo,
        name: record.name,
        idNumber: record.idNumber,
        classCode: record.classCode,
        className: record.className,
        bankCard: record.bankCard,
        statusCode: record.statusCode,
        statusName: record.statusName,
      }))
      .sort((a, b) => a.studentNo.localeCompare(b.studentNo));
    expect(actual).toEqual(simulation.expected);
  });
});
