import { type SimStudent } from './cohort.ts';
import { type DetailBody, type Operation, pushBody } from './push-body.ts';

/** One generated push with the facts the simulator tracks about it. */
export interface GeneratedPush {
  /** The exact body to send. */
  body: string;
  studentKey: number;
  /** bg_sj: yyyyMMddHHmmss in GMT+8. */
  changeTime: string;
  operation: Operation;
  /** True for a push with an XH detail, which later pushes of the student depend on. */
  changesStudentNo: boolean;
}

/** Pushes per batch (bg_pch) before the writer opens the next batch. */
const BATCH_SIZE = 500;
/** Pushes the platform emits per second of bg_sj within a batch. */
const PUSHES_PER_SECOND = 25;

/**
 * Writes pushes in batches, as the platform does when an operator saves a bulk change:
 * each batch has its own bg_pch, and bg_sj advances one second per 25 pushes.
 * Batch numbers read `BG<yyyyMMdd><4-digit sequence>`.
 */
export class BatchWriter {
  readonly pushes: GeneratedPush[] = [];
  private batchSequence = 0;
  private clock = new Date(0);
  private batchNo = '';
  private inBatch = 0;

  /** Starts a new batch whose first bg_sj is `start` (GMT+8 wall time written as UTC fields). */
  startBatch(start: Date): void {
    this.clock = new Date(start);
    this.inBatch = 0;
    this.batchSequence += 1;
    this.batchNo = `BG${formatChangeTime(start).slice(0, 8)}${String(this.batchSequence).padStart(4, '0')}`;
  }

  /**
   * Emits one push with the student's current values. With `sameTimeAsLast` the push gets
   * the bg_sj of the previous push, as when the platform saves two edits in one second.
   */
  emit(student: SimStudent, operation: Operation, details: DetailBody[], sameTimeAsLast = false): GeneratedPush {
    if (this.inBatch === BATCH_SIZE) this.startBatch(this.clock);
    if (!sameTimeAsLast && this.inBatch > 0 && this.inBatch % PUSHES_PER_SECOND === 0) {
      this.clock = new Date(this.clock.getTime() + 1000);
    }
    this.inBatch += 1;

    const changeTime = formatChangeTime(this.clock);
    const push: GeneratedPush = {
      body: pushBody(student, changeTime, this.batchNo, operation, details),
      studentKey: student.key,
      changeTime,
      operation,
      changesStudentNo: details.some((d) => d.bg_lx === 'XH'),
    };
    this.pushes.push(push);
    return push;
  }
}

/** Builds a wall-clock time in GMT+8, held in the UTC fields of a Date. */
export function wallTime(year: number, month: number, day: number, hour: number, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, 0));
}

function formatChangeTime(wall: Date): string {
  const iso = wall.toISOString();
  return iso.slice(0, 19).replace(/[-T:]/g, '');
}
