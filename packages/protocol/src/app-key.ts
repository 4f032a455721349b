/** Shape of an app-key: 1-64 characters of letters, digits, `_`, `.` or `-`, starting with a letter or digit. */
export const APP_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const APP_KEY_RULE = 'app-key 必须是 1-64 个字母、数字、_、. 或 -, 并以字母或数字开头';

/** Returns the broken rule when `appKey` has the wrong shape, otherwise undefined. */
export function appKeyProblem(appKey: string): string | undefined {
  return APP_KEY_PATTERN.test(appKey) ? undefined : APP_KEY_RULE;
}
