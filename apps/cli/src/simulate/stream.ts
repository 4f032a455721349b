import { BatchWriter, type GeneratedPush, wallTime } from './batch-writer.ts';
import { CohortFactory, type SimStudent } from './cohort.ts';
import { changeBankCards, enrol, graduate, moveClasses, type PhaseContext, resume, suspend, transferMajors, withdraw } from './phases.ts';
import { Random } from './random.ts';

export interface ChangeStreamOptions {
  seed: string;
  studentCount: number;
  /** Autumn term year of the simulated academic year. */
  year: number;
}

/** The pushes of one simulated academic year in bg_sj order, and the truth behind them. */
export interface ChangeStream {
  pushes: GeneratedPush[];
  /** Final state of every student as the simulator tracked it. */
  students: SimStudent[];
  /** Students whose final bank card was decided by the body hash of two same-second pushes. */
  tiedStudentKeys: Set<number>;
}

/**
 * Generates a cohort of four grades and the changes of one academic year: enrolment,
 * term-start class moves, major transfers with new student numbers, bank card changes,
 * suspensions, withdrawals, resumptions and graduation. The same options always give
 * the same bytes.
 */
export function generateChangeStream(options: ChangeStreamOptions): ChangeStream {
  const random = new Random(`${options.seed}:cohort`);
  const factory = new CohortFactory(random);
  const { year } = options;
  const grades: ReadonlyArray<readonly [number, number]> = [[year, 30], [year - 1, 25], [year - 2, 23], [year - 3, 22]];
  const students = Array.from({ length: options.studentCount }, () => factory.createStudent(random.pickWeighted(grades)));

  const context: PhaseContext = { random, factory, writer: new BatchWriter(), students, year, tiedStudentKeys: new Set() };
  enrol(context);
  moveClasses(context);
  transferMajors(context);
  changeBankCards(context, wallTime(year, 9, 20, 9), 0.2);
  suspend(context);
  withdraw(context);
  resume(context);
  changeBankCards(context, wallTime(year + 1, 3, 2, 10), 0.05);
  graduate(context);

  return { pushes: context.writer.pushes, students, tiedStudentKeys: context.tiedStudentKeys };
}
