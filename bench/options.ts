import { parseArgs } from 'node:util';
import { INGRESS_TARGETS, type IngressTarget } from './ingress/ingress-phase.ts';
import { WORKER_TARGETS, type WorkerTarget } from './worker/worker-phase.ts';

export const SECTIONS = ['ingress', 'worker', 'e2e'] as const;
export type Section = (typeof SECTIONS)[number];

/** Sizes and bounds of one run. Every load loop is bounded by a count and a duration. */
export interface BenchOptions {
  smoke: boolean;
  outDir: string;
  sections: Section[];
  ingressTargets: IngressTarget[];
  workerTargets: WorkerTarget[];
  connections: number;
  /**
   * Number of rounds. Each round measures the ingress targets and the noop and batch workers in
   * the same order, so a ratio is taken within a round and reported as the median over rounds.
   */
  rounds: number;
  /** Students simulated for the ingress load; about 1.9 pushes each. */
  ingressStudents: number;
  ingressWarmup: number;
  ingressMaxMs: number;
  /** Students simulated for the worker runs. */
  pipelineStudents: number;
  /** Students simulated for the end-to-end run; 52,000 make about 100,000 pushes. */
  endToEndStudents: number;
  workerMaxMs: number;
  endToEndMaxMs: number;
}

const FULL = { rounds: 3, ingressStudents: 32_000, ingressWarmup: 2_000, ingressMaxMs: 10_000, pipelineStudents: 10_000, endToEndStudents: 52_000, workerMaxMs: 120_000, endToEndMaxMs: 300_000 };
const SMOKE = { rounds: 2, ingressStudents: 80, ingressWarmup: 20, ingressMaxMs: 3_000, pipelineStudents: 60, endToEndStudents: 60, workerMaxMs: 60_000, endToEndMaxMs: 60_000 };

const USAGE = `usage: tsx bench/run.ts [--smoke] [--out DIR] [--only ingress,worker,e2e]
       [--ingress-targets bare,sign,enqueue,ingress] [--workers noop,single,batch] [--rounds N] [--e2e-students N]
  --smoke          tiny sizes, finishes in about a minute; the figures mean nothing
  --out            folder for the JSON, HTML and process logs (default bench-results)
  --only           sections to run (default all)
  --ingress-targets
                   ingress targets to measure (default bare,sign,enqueue,ingress); the
                   ratio column needs enqueue
  --workers        worker targets to measure (default noop,single,batch)
  --rounds         rounds of the ingress targets and of the noop and batch workers, 1 to 10
                   (default 3, 2 with --smoke); single runs in the first round only
  --e2e-students   students simulated for the end-to-end run, 1 to 200000 (default 52000,
                   about 100,000 pushes; 60 with --smoke)`;

/** Parses the command line; throws with the usage text on an unknown option or value. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { smoke: { type: 'boolean' }, out: { type: 'string' }, only: { type: 'string' }, 'ingress-targets': { type: 'string' }, workers: { type: 'string' }, rounds: { type: 'string' }, 'e2e-students': { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new Error(USAGE);
  const smoke = values.smoke ?? false;
  const sizes = smoke ? SMOKE : FULL;
  return {
    smoke,
    outDir: values.out ?? 'bench-results',
    sections: listOf(values.only, SECTIONS, '--only'),
    ingressTargets: listOf(values['ingress-targets'], INGRESS_TARGETS, '--ingress-targets'),
    workerTargets: listOf(values.workers, WORKER_TARGETS, '--workers'),
    connections: 50,
    ...sizes,
    rounds: values.rounds === undefined ? sizes.rounds : wholeNumber(values.rounds, '--rounds', 10),
    endToEndStudents: values['e2e-students'] === undefined ? sizes.endToEndStudents : wholeNumber(values['e2e-students'], '--e2e-students', 200_000),
  };
}

function wholeNumber(text: string, option: string, max: number): number {
  const count = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(count) || count < 1 || count > max) throw new Error(`${option}: "${text}" is not a whole number from 1 to ${max}\n${USAGE}`);
  return count;
}

function listOf<T extends string>(text: string | undefined, allowed: readonly T[], option: string): T[] {
  if (text === undefined) return [...allowed];
  const items = text.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (unknown.length > 0) throw new Error(`${option}: unknown value ${unknown.join(', ')}; expected some of ${allowed.join(', ')}\n${USAGE}`);
  return items as T[];
}
