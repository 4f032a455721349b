import type { AdminEnv } from '@student-sync/config';
import type { AdminUser } from './credentials.ts';

/** Users configured in the environment: the operator and, when set, the read-only user. */
export function adminUsers(config: AdminEnv): AdminUser[] {
  const users: AdminUser[] = [];
  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    users.push({ username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD, role: 'operator' });
  }
  if (config.ADMIN_READONLY_USERNAME && config.ADMIN_READONLY_PASSWORD) {
    users.push({ username: config.ADMIN_READONLY_USERNAME, password: config.ADMIN_READONLY_PASSWORD, role: 'readonly' });
  }
  return users;
}
