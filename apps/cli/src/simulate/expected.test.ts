import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_OPTIONS, planDeliveries } from './deliveries.ts';
import { computeExpectedState } from './expected.ts';
import { Random } from './random.ts';
import { generateChangeStream } from './stream.ts';

function push(fields: Record<string, unknown>): string {
  return JSON.stringify({ ksh: '25110101000001', sfzh: '11010519491231002X', xm: '张三', bg_pch: 'BG1', ...fields });
}

const add = push({
  xh: 'A1',
  bg_sj: '20250820090000',
  cz_lx: 'ADD',
  bg_mx_list: [{ bg_lx: 'KZ_BJ_ID', bgq_dm: '', bgq_mc: '', bgh_dm: 'C1', bgh_mc: '一班' }],
});
const moveToC2 = push({
  xh: 'A1',
  bg_sj: '20250901083000',
  cz_lx: 'UPDATE',
  bg_mx_list: [{ bg_lx: 'KZ_BJ_ID', bgq_dm: 'C1', bgq_mc: '一班', bgh_dm: 'C2', bgh_mc: '二班' }],
});
const rekey = push({
  xh: 'B2',
  bg_sj: '20250915100000',
  cz_lx: 'UPDATE',
  bg_mx_list: [{ bg_lx: 'XH', bgq_dm: 'A1', bgq_mc: 'A1', bgh_dm: 'B2', bgh_mc: 'B2' }],
});
const lateOldNumber = push({
  xh: 'A1',
  bg_sj: '20250910080000',
  cz_lx: 'UPDATE',
  bg_mx_list: [{ bg_lx: 'KZ_ZT', bgq_dm: '01', bgq_mc: '在读', bgh_dm: '02', bgh_mc: '休学' }],
});

describe('computeExpectedState', () => {
  it('keys a re-keyed student by its final number', () => {
    const [student] = computeExpectedState([add, rekey]);
    expect(student?.studentNo).toBe('B2');
    expect(student?.formerStudentNos).toEqual(['A1']);
  });

  it('applies a late push under the old number to the same student', () => {
    const students = computeExpectedState([add, rekey, lateOldNumber]);
    expect(students).toHaveLength(1);
    expect(students[0]?.statusCode).toBe('02');
    expect(students[0]?.studentNo).toBe('B2');
  });

  it('keeps the newer class when the older move arrives last', () => {
    const [student] = computeExpectedState([moveToC2, add]);
    expect(student?.classCode).toBe('C2');
    expect(student?.className).toBe('二班');
  });

  it('breaks equal bg_sj by the greater body hash', () => {
    const card = (number: string) =>
      push({ xh: 'A1', bg_sj: '20250920090000', cz_lx: 'UPDATE', bg_mx_list: [{ bg_lx: 'KZ_YHKH', bgh_dm: number, bgh_mc: '中国银行' }] });
    const pair = [card('6216610000000000001'), card('6216610000000000002')];
    const forward = computeExpectedState([add, ...pair])[0]?.bankCard;
    const backward = computeExpectedState([add, ...pair.reverse()])[0]?.bankCard;
    expect(forward).toBe(backward);
  });

  it('counts identical resends once', () => {
    expect(computeExpectedState([add, add, moveToC2, moveToC2])).toHaveLength(1);
  });

  it('never clears a field with an empty body value', () => {
    const blankName = push({ xh: 'A1', xm: '', bg_sj: '20250930000000', cz_lx: 'UPDATE' });
    expect(computeExpectedState([add, blankName])[0]?.name).toBe('张三');
  });
});

describe('computeExpectedState on a simulated stream', () => {
  const stream = generateChangeStream({ seed: 'expected', studentCount: 300, year: 2025 });
  const inOrder = computeExpectedState(stream.pushes.map((p) => p.body));

  it('matches the simulator state for every student', () => {
    expect(inOrder).toHaveLength(stream.students.length);
    const byNumber = new Map(inOrder.map((student) => [student.studentNo, student]));
    for (const truth of stream.students) {
      const expected = byNumber.get(truth.studentNo);
      expect(expected, truth.studentNo).toBeDefined();
      expect(expected?.classCode).toBe(truth.class.code);
      expect(expected?.bankCard).toBe(truth.bankCard.code);
      expect(expected?.statusCode).toBe(truth.status.code);
      expect(expected?.idNumber).toBe(truth.idNumber);
    }
  });

  it('is the same for planned and shuffled deliveries', () => {
    const planned = planDeliveries(stream.pushes, { seed: 'expected', ...DEFAULT_DELIVERY_OPTIONS });
    expect(computeExpectedState(planned.map((p) => p.body))).toEqual(inOrder);
    const shuffled = new Random('shuffle').shuffle(planned);
    expect(computeExpectedState(shuffled.map((p) => p.body))).toEqual(inOrder);
  });
});
