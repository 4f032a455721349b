import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliverInOrder, sortByChangeTime } from './testing/deliver.ts';
import { buildPushBodies, shuffledWithDuplicates, studentPlans } from './testing/push-stream.ts';

describe('order independence', () => {
  it('shuffled duplicated deliveries match bg_sj order', () => {
    const scenario = studentPlans({ maxStudents: 3, maxSteps: 12 })
      .map((plans) => buildPushBodies(plans))
      .chain((bodies) => fc.tuple(fc.constant(bodies), shuffledWithDuplicates(bodies)));

    fc.assert(
      fc.property(scenario, ([bodies, deliveries]) => {
        const expected = deliverInOrder(sortByChangeTime(bodies));
        const actual = deliverInOrder(deliveries);
        expect(actual.snapshot()).toEqual(expected.snapshot());
        expect(actual.aliases()).toEqual(expected.aliases());
      }),
      { numRuns: 200 },
    );
  });
});
