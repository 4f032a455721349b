/**
 * Error codes of applying a push, as the archive and dead letters record them, with a
 * Chinese-first description for operators. `retryable` is true when a later attempt can
 * succeed. A missing student may still be on its way because its ADD is in flight, while
 * an invalid body stays invalid however often it is retried.
 */
export const APPLY_ERRORS = {
  INVALID_JOB_DATA: {
    retryable: false,
    description: '任务数据不符合推送任务结构 (job data does not match PushJobData)',
    advice: '不是推送任务, 例如其他程序加入队列的任务; 无需重放 (not a push job, nothing to replay)',
  },
  INVALID_PUSH: {
    retryable: false,
    description: '推送内容未通过校验 (push body failed validation)',
    advice: '请发送方修正推送内容后重新推送 (the sender must fix and resend the push)',
  },
  BODY_UNREADABLE: {
    retryable: true,
    description: '无法解密推送内容, 请检查 PII_ENCRYPTION_KEYS (sealed body cannot be opened)',
    advice: '在处理进程的 PII_ENCRYPTION_KEYS 中补上加密时用的密钥后重放 (add the sealing key to the workers, then replay)',
  },
  STUDENT_NOT_FOUND: {
    retryable: true,
    description: '学生不存在, 可能其 ADD 尚未处理 (student not found; its ADD may still be in flight)',
    advice: '确认平台已推送该学生的 ADD 后重放 (replay once the platform has pushed the ADD)',
  },
  STUDENT_NO_CONFLICT: {
    retryable: false,
    description: '学号已属于另一名学生 (student number belongs to another student)',
    advice: '先核对两条学生记录, 重放前请与平台确认学号 (check both students with the platform before a replay)',
  },
  DATABASE_ERROR: {
    retryable: true,
    description: '数据库操作失败 (database operation failed)',
    advice: 'PostgreSQL 恢复后重放 (replay once PostgreSQL is back)',
  },
  JOB_STALLED: {
    retryable: false,
    description: '任务处理多次中断 (job stalled more often than allowed)',
    advice: '检查处理进程为何中途停止 (内存, 重启), 然后重放 (find why workers stopped mid-job, then replay)',
  },
  UNEXPECTED_ERROR: {
    retryable: true,
    description: '意外错误 (unexpected error)',
    advice: '详情见处理进程日志, 排除原因后重放 (see the worker log, fix the cause, then replay)',
  },
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

/** Returns the message a dead letter keeps: the last error, then what an operator should do about its code. */
export function deadLetterMessage(code: ApplyErrorCode, message: string): string {
  return `${message} 处理建议 (what to do): ${APPLY_ERRORS[code].advice}`;
}
