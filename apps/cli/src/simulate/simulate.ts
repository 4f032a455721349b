import { planDeliveries } from './deliveries.ts';
import { computeExpectedState, type ExpectedStudent } from './expected.ts';
import { generateChangeStream } from './stream.ts';

export interface SimulationOptions {
  seed: string;
  studentCount: number;
  /** Autumn term year of the simulated academic year. */
  year: number;
  resendRatio: number;
  delayRatio: number;
  maxDisplacement: number;
}

export interface Simulation {
  /** Bodies in delivery order, resends included. */
  deliveries: string[];
  /** Distinct pushes, resends not counted. */
  pushCount: number;
  expected: ExpectedStudent[];
}

/** Generates a change stream, plans its delivery and computes the state it must lead to. */
export function simulate(options: SimulationOptions): Simulation {
  const stream = generateChangeStream(options);
  const deliveries = planDeliveries(stream.pushes, options).map((push) => push.body);
  return {
    deliveries,
    pushCount: stream.pushes.length,
    expected: computeExpectedState(deliveries),
  };
}
