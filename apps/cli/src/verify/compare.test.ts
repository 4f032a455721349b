import { describe, expect, it } from 'vitest';
import { type ExpectedStudent } from '../simulate/expected.ts';
import { compareStudents, formatDifferences } from './compare.ts';

const student: ExpectedStudent = {
  studentNo: '202503011001',
  formerStudentNos: [],
  examineeNo: '25110101000001',
  name: '张伟',
  idNumber: '11010519491231002X',
  classCode: '2025030101',
  className: '计算机科学与技术2501班',
  bankCard: '6212260000000000001',
  statusCode: '01',
  statusName: '在读',
};

describe('compareStudents', () => {
  it('finds no difference in equal states', () => {
    expect(compareStudents([student], [{ ...student }], { allowExtra: false })).toEqual([]);
  });

  it('reports a missing and an unexpected student', () => {
    const other = { ...student, studentNo: '202503011002' };
    const differences = compareStudents([student], [other], { allowExtra: false });
    expect(differences.map((d) => [d.studentNo, d.field])).toEqual([
      ['202503011001', 'student'],
      ['202503011002', 'student'],
    ]);
  });

  it('ignores unexpected students when allowed', () => {
    const other = { ...student, studentNo: '202503011002' };
    expect(compareStudents([student], [student, other], { allowExtra: true })).toEqual([]);
  });

  it('masks personal data in differences', () => {
    const [difference] = compareStudents([student], [{ ...student, bankCard: '6212269999999999991' }], { allowExtra: false });
    expect(difference?.field).toBe('bankCard');
    expect(difference?.expected).toBe('6212***********0001');
    expect(difference?.actual).toBe('6212***********9991');
    expect(formatDifferences([difference!], 10)).not.toContain('6212269999999999991');
  });

  it('flags different values whose masks look alike', () => {
    const [difference] = compareStudents([student], [{ ...student, idNumber: '11010519501231002X' }], { allowExtra: false });
    expect(difference?.actual).toContain('掩码相同');
  });

  it('compares former student numbers in any order', () => {
    const rekeyed = { ...student, formerStudentNos: ['A', 'B'] };
    expect(compareStudents([rekeyed], [{ ...rekeyed, formerStudentNos: ['B', 'A'] }], { allowExtra: false })).toEqual([]);
    expect(compareStudents([rekeyed], [{ ...rekeyed, formerStudentNos: ['A'] }], { allowExtra: false })).toHaveLength(1);
  });
});
