export { applyPush } from './apply-push.ts';
export { recordFailedAttempt } from './archive.ts';
export { lockKeyOf } from './number-locks.ts';
export type { ApplyDependencies, ApplyResult, ArchivedPush, FailedAttempt } from './types.ts';
