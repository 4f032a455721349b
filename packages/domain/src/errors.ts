/**
 * Error codes of applying a push, as the archive and dead letters record them, with a
 * Chinese-first description for operators. `retryable` is true when a later attempt can
 * succeed. A missing student may still be on its way because its ADD is in flight, while
 * an invalid body stays invalid however often it is retried.
 */
export const APPLY_ERRORS = {
  INVALID_JOB_DATA: { retryable: false, description: '任务数据不符合推送任务结构 (job data does not match PushJobData)' },
  INVALID_PUSH: { retryable: false, description: '推送内容未通过校验 (push body failed validation)' },
  BODY_UNREADABLE: { retryable: true, description: '无法解密推送内容, 请检查 PII_ENCRYPTION_KEYS (sealed body cannot be opened)' },
  STUDENT_NOT_FOUND: { retryable: true, description: '学生不存在, 可能其 ADD 尚未处理 (student not found; its ADD may still be in flight)' },
  STUDENT_NO_CONFLICT: { retryable: false, description: '学号已属于另一名学生 (student number belongs to another student)' },
  DATABASE_ERROR: { retryable: true, description: '数据库操作失败 (database operation failed)' },
  JOB_STALLED: { retryable: false, description: '任务处理多次中断 (job stalled more often than allowed)' },
  UNEXPECTED_ERROR: { retryable: true, description: '意外错误 (unexpected error)' },
} as const;
export type ApplyErrorCode = keyof typeof APPLY_ERRORS;

/** Every error code, in the order of APPLY_ERRORS, for messages that list them. */
export const APPLY_ERROR_CODES = Object.keys(APPLY_ERRORS) as ApplyErrorCode[];

/** Reads an error code an operator typed, in any case and with surrounding spaces, or returns undefined when there is no such code. */
export function parseApplyErrorCode(text: string): ApplyErrorCode | undefined {
  const code = text.trim().toUpperCase();
  return Object.hasOwn(APPLY_ERRORS, code) ? (code as ApplyErrorCode) : undefined;
}

/** A push that cannot be applied (yet), with a stable code for the archive and dead letters. */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  readonly retryable: boolean;

  constructor(
    readonly code: ApplyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = APPLY_ERRORS[code].retryable;
  }
}

const FAILURE_KINDS: Record<string, string> = { exhausted: '重试用尽', permanent: '永久错误', stalled: '多次卡住' };

/** Returns the Chinese name of how a dead-lettered push failed (`exhausted`, `permanent`, `stalled`), or the kind as stored. */
export function failureKindLabel(kind: string): string {
  return FAILURE_KINDS[kind] ?? kind;
}
