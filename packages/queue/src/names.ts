/** Main queue: one job per accepted push. */
export const PUSH_QUEUE = 'student-changes';
/** Dead-letter queue: one job per push that ended failed, kept until replayed or removed. */
export const DEAD_LETTER_QUEUE = 'student-changes-dead';
/**
 * Job name of a push: `<bg_pch or ->/<xh>`, so operators can find the pushes of a batch or a
 * student by name in Bull Board. Both values are plaintext fields of the job data already.
 */
export function pushJobName(push: { batchNo: string | null; studentNo: string }): string {
  return `${push.batchNo ?? '-'}/${push.studentNo}`;
}
/**
 * Returns the Redis pub/sub channel on which a client's app-key is published after it is
 * disabled or its key rotated. It carries the queue prefix, so deployments that share one
 * Redis do not hear each other's changes.
 */
export function clientsChangedChannel(queuePrefix: string): string {
  return `${queuePrefix}:clients-changed`;
}

/**
 * Channel of releases before 2026-12-05, shared by every deployment on one Redis. The ingress
 * still listens on it, so that a CLI of such a release is heard during an upgrade.
 */
export const LEGACY_CLIENTS_CHANGED_CHANNEL = 'student-sync:clients-changed';
