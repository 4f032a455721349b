/** Chinese names of the change types (bg_lx) of API 4.4.3; unknown types are shown as sent. */
const CHANGE_TYPES: Record<string, string> = {
  XH: '学号',
  KZ_BJ_ID: '班级',
  KZ_YHKH: '银行卡号',
  KZ_ZT: '学籍状态',
};

const OUTCOMES: Record<string, string> = {
  APPLIED: '已应用',
  SUPERSEDED: '被更新的变更取代',
  IGNORED: '未知类型，仅记录',
};

const PUSH_STATUSES: Record<string, string> = {
  RECEIVED: '已接收待处理',
  APPLIED: '已应用',
  RETRYING: '重试中',
  DEAD: '死信',
};

export function changeTypeLabel(code: string): string {
  const name = CHANGE_TYPES[code];
  return name ? `${name} (${code})` : code;
}

export function outcomeLabel(code: string): string {
  return OUTCOMES[code] ?? code;
}

export function pushStatusLabel(code: string): string {
  return PUSH_STATUSES[code] ?? code;
}

/** Joins a code and its name, e.g. "01 在读". Either part may be missing. */
export function codeAndName(code: string | null, name: string | null): string {
  return [code, name].filter((part) => part !== null && part !== '').join(' ');
}

/**
 * Labels the last error of an archived push. After an applied attempt the error is from an
 * earlier attempt, so it is marked as such instead of reading as the push's current problem.
 */
export function lastErrorLabel(push: { status: string; lastErrorCode: string | null }): string {
  if (!push.lastErrorCode) return '';
  return push.status === 'APPLIED' ? `此前 ${push.lastErrorCode}` : push.lastErrorCode;
}
