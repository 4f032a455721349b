import { ApplyError } from '../errors.ts';
import { MemoryStudentStore } from '../memory-store.ts';
import { parsePush } from '../parse-push.ts';

/**
 * Applies bodies to a new MemoryStudentStore in the given order. A STUDENT_NOT_FOUND push
 * goes to the back of the queue, as a retried job would. When a push still finds no
 * student after every other queued push was tried, this throws instead of looping forever.
 */
export function deliverInOrder(bodies: string[]): MemoryStudentStore {
  const store = new MemoryStudentStore();
  const queue = [...bodies];
  let failuresInARow = 0;
  while (queue.length > 0) {
    const body = queue.shift()!;
    try {
      store.apply(body);
      failuresInARow = 0;
    } catch (error) {
      if (!(error instanceof ApplyError) || error.code !== 'STUDENT_NOT_FOUND') throw error;
      queue.push(body);
      failuresInARow += 1;
      if (failuresInARow > queue.length) throw new Error(`push for ${parsePush(body).studentNo} never found its student`);
    }
  }
  return store;
}

/** Sorts bodies by change version: bg_sj, then body SHA-256. */
export function sortByChangeTime(bodies: string[]): string[] {
  const keyed = bodies.map((body) => {
    const push = parsePush(body);
    return { body, version: `${push.changeTime}:${push.bodySha256}` };
  });
  keyed.sort((a, b) => compareText(a.version, b.version));
  return keyed.map((entry) => entry.body);
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
