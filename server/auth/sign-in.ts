import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditLog } from '../audit/audit-log';
import { AppError, tooManyRequests } from '../errors';
import type { LoginThrottle } from './login-throttle';
import { verifyPassword } from './passwords';
import type { PublicUser } from './principal';
import type { Tokens } from './tokens';
import type { UserRow, Users } from './users';

/** The password of every demo user; refused in production, where demo users have no business. */
export const DEMO_PASSWORD = 'demo';

export type FailureReason = 'unknown-user' | 'wrong-password' | 'disabled' | 'demo-password-in-production' | 'locked';

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误 (wrong username or password)');

export interface SignInOptions {
  users: Users;
  tokens: Tokens;
  throttle: LoginThrottle;
  audit: AuditLog;
  production: boolean;
  /** A hash of no one's password, checked for unknown users so they cost the same time as a wrong password. */
  decoyHash: string;
}

/** Password sign-in: throttled per username, every failure audited, all failures alike to the caller. */
export function createSignIn({ users, tokens, throttle, audit, production, decoyHash }: SignInOptions) {
  const failed = async (username: string, ip: string, reason: FailureReason) => {
    await audit.append({ actor: 'anonymous', action: 'auth.login-failed', entityType: 'user', entityId: username, data: { ip, reason } });
  };

  return async function login(username: string, password: string, ip: string): Promise<{ token: string; user: PublicUser }> {
    if (!tokens.canIssue) {
      throw new AppError(403, 'PASSWORD_LOGIN_DISABLED', '请通过统一身份认证登录 (password sign-in is off; use the identity provider)');
    }
    const admission = await throttle.admit(username);
    if (admission.refused) {
      await failed(username, ip, 'locked');
      throw tooManyRequests('登录失败次数过多，请稍后再试 (too many failed sign-ins; try again later)', admission.retryAfterSeconds);
    }
    // Waits with no database connection held: the admission above has already been committed.
    if (admission.delayMs) await sleep(admission.delayMs);

    const row = await users.byUsername(username);
    const matches = await verifyPassword(password, row?.password_hash ?? decoyHash);
    const reason = refusal(row, matches, production && password === DEMO_PASSWORD);
    if (!row || reason) {
      await failed(username, ip, reason ?? 'unknown-user');
      throw invalidCredentials();
    }
    await throttle.succeeded(username);
    const user = await users.principal(row);
    return { token: await tokens.issue(user), user };
  };
}

function refusal(row: UserRow | undefined, matches: boolean, demoPasswordInProduction: boolean): FailureReason | undefined {
  if (!row) return 'unknown-user';
  if (!row.password_hash || !matches) return 'wrong-password';
  if (row.disabled) return 'disabled';
  if (demoPasswordInProduction) return 'demo-password-in-production';
  return undefined;
}
