import type { Push } from './push.ts';

/**
 * Student numbers a push may find its student by, in look-up order: xh, then the old
 * number (bgq_dm) of each XH detail, because a re-key push may carry the new number in xh
 * before any student has it.
 */
export function lookupNumbers(push: Push): string[] {
  const numbers = [push.studentNo];
  for (const detail of push.details) {
    const before = detail.changeType === 'XH' ? detail.beforeCode?.trim() : undefined;
    if (before) numbers.push(before);
  }
  return [...new Set(numbers)];
}

/**
 * Returns every student number a push reads or writes, sorted: the look-up numbers plus
 * the new number of each XH detail. Appliers serialise pushes by locking these numbers.
 */
export function involvedNumbers(push: Push): string[] {
  const numbers = lookupNumbers(push);
  for (const detail of push.details) {
    const after = detail.changeType === 'XH' ? detail.afterCode?.trim() : undefined;
    if (after) numbers.push(after);
  }
  return [...new Set(numbers)].sort();
}
