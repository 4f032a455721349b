/** Main queue: one job per accepted push. */
export const PUSH_QUEUE = 'student-changes';
/** Dead-letter queue: one job per push that ended failed, kept until replayed or removed. */
export const DEAD_LETTER_QUEUE = 'student-changes-dead';
/** Job name of every push job; Bull Board search uses the job id and data fields. */
export const PUSH_JOB_NAME = 'push';
/** Redis pub/sub channel on which a client's app-key is published after it is disabled or its key rotated. */
export const CLIENTS_CHANGED_CHANNEL = 'student-sync:clients-changed';
