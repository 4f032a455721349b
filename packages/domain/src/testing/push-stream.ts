import fc from 'fast-check';
import { cardChange, classChange, numberChange, pushBody, statusChange } from './push-body.ts';

/** One step in the life of a generated student. */
export type Step =
  | { kind: 'class'; code: number }
  | { kind: 'status'; code: number }
  | { kind: 'card'; card: number }
  | { kind: 'name'; name: number }
  | { kind: 'examineeNo'; value: number }
  | { kind: 'rekey' }
  | { kind: 'unknown' };

/** A student's generated history: steps with an hour offset each and whether to use an old number. */
export interface StudentPlan {
  steps: Array<{ step: Step; hour: number; useOldNumber: boolean }>;
}

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('class' as const), code: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('status' as const), code: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ kind: fc.constant('card' as const), card: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant('name' as const), name: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('examineeNo' as const), value: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ kind: 'rekey' as const }),
  fc.constant({ kind: 'unknown' as const }),
);

/**
 * Plans for a few students. Hours come from a small range, so several pushes share a
 * bg_sj and ties between them are broken by body hash.
 */
export function studentPlans(size: { minStudents?: number; maxStudents: number; minSteps?: number; maxSteps: number }): fc.Arbitrary<StudentPlan[]> {
  const step = fc.record({ step: stepArbitrary, hour: fc.integer({ min: 0, max: 6 }), useOldNumber: fc.boolean() });
  const plan = fc.record({ steps: fc.array(step, { minLength: size.minSteps ?? 0, maxLength: size.maxSteps }) });
  return fc.array(plan, { minLength: size.minStudents ?? 1, maxLength: size.maxStudents });
}

const CARD_NUMBERS = ['6222020200112233445', '6217000010001234567', '6228480402564890018'];

/**
 * Turns plans into raw push bodies. Each student starts with an ADD; each re-key moves it
 * to a new number (bgq_dm the number before, xh and bgh_dm the new one), and later pushes
 * may still use an old number. `prefix` keeps numbers of separate runs apart.
 */
export function buildPushBodies(plans: StudentPlan[], prefix = 'S'): string[] {
  return plans.flatMap((plan, studentIndex) => buildStudentBodies(plan, `${prefix}${studentIndex}`));
}

function buildStudentBodies(plan: StudentPlan, firstNumber: string): string[] {
  const numbers = [firstNumber];
  let lastRekeyHour = -1;
  const bodies = [pushBody({ xh: firstNumber, bg_sj: changeTime(0, 0), cz_lx: 'ADD', xm: '学生', bg_mx_list: [classChange('C0')] })];

  plan.steps.forEach(({ step, hour, useOldNumber }, index) => {
    const current = numbers[numbers.length - 1]!;
    const xh = useOldNumber ? numbers[0]! : current;
    const bg_sj = changeTime(hour, index % 3);
    if (step.kind === 'rekey') {
      // A student's number changes happen one after another in time: a re-key from a number
      // that only an earlier-dated re-key created would never find its student.
      lastRekeyHour = Math.max(hour, lastRekeyHour + 1);
      const next = `${firstNumber}-${numbers.length}`;
      numbers.push(next);
      bodies.push(pushBody({ xh: next, bg_sj: changeTime(lastRekeyHour, index % 3), bg_mx_list: [numberChange(current, next)] }));
      return;
    }
    bodies.push(pushBody({ xh, bg_sj, ...bodyFieldsFor(step) }));
  });
  return bodies;
}

function bodyFieldsFor(step: Exclude<Step, { kind: 'rekey' }>) {
  switch (step.kind) {
    case 'class':
      return { bg_mx_list: [classChange(`C${step.code}`)] };
    case 'status':
      return { bg_mx_list: [statusChange(`0${step.code}`, `状态${step.code}`)] };
    case 'card':
      return { bg_mx_list: [cardChange('', CARD_NUMBERS[step.card % CARD_NUMBERS.length]!)] };
    case 'name':
      return { xm: `学生${step.name}` };
    case 'examineeNo':
      return { ksh: step.value === 3 ? 'K-irregular' : `2411010112345${step.value}` };
    case 'unknown':
      return { bg_mx_list: [{ bg_lx: 'KZ_FUTURE', bgh_dm: 'X' }] };
  }
}

/**
 * bg_sj on 2024-09-01 GMT+8 from 23:00 on, so later hours cross midnight into the next day.
 * Hours and minutes come from small ranges, so different pushes share a bg_sj and their
 * order is decided by body hash.
 */
function changeTime(hour: number, minute: number): string {
  const instant = new Date(Date.UTC(2024, 8, 1, 23 - 8 + hour, minute % 60));
  const gmt8 = new Date(instant.getTime() + 8 * 3_600_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${gmt8.getUTCFullYear()}${pad(gmt8.getUTCMonth() + 1)}${pad(gmt8.getUTCDate())}` +
    `${pad(gmt8.getUTCHours())}${pad(gmt8.getUTCMinutes())}${pad(gmt8.getUTCSeconds())}`
  );
}

/** Bodies in a random order with some delivered more than once. */
export const shuffledWithDuplicates = (bodies: string[]): fc.Arbitrary<string[]> =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: bodies.length - 1 }), { maxLength: bodies.length }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2 * bodies.length, maxLength: 2 * bodies.length }),
    )
    .map(([duplicates, keys]) => {
      const deliveries = [...bodies, ...duplicates.map((index) => bodies[index]!)];
      return deliveries.map((body, index) => ({ body, key: keys[index]! })).sort((a, b) => a.key - b.key).map((entry) => entry.body);
    });
