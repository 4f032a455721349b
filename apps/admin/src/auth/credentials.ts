import { createHash, timingSafeEqual } from 'node:crypto';

/** Role of a signed-in user: an operator may also pause, promote, clean finished jobs and replay dead letters. */
export type AdminRole = 'operator' | 'readonly';

export interface AdminUser {
  username: string;
  password: string;
  role: AdminRole;
}

/**
 * Checks a user name and password against the configured users. Each comparison runs over
 * SHA-256 digests in constant time, and every user is compared, so the time taken does not
 * reveal which part matched.
 */
export class CredentialChecker {
  private readonly users: Array<{ username: Buffer; password: Buffer; role: AdminRole }>;

  constructor(users: AdminUser[]) {
    this.users = users.map((user) => ({ username: digest(user.username), password: digest(user.password), role: user.role }));
  }

  /** Returns the role of the matching user, or null when none matches. */
  roleOf(username: string, password: string): AdminRole | null {
    const givenUser = digest(username);
    const givenPassword = digest(password);
    let role: AdminRole | null = null;
    for (const user of this.users) {
      const userMatches = timingSafeEqual(user.username, givenUser);
      const passwordMatches = timingSafeEqual(user.password, givenPassword);
      if (userMatches && passwordMatches) role = user.role;
    }
    return role;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
