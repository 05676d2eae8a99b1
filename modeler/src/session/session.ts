import { Api, ApiError } from '../api/client';
import type { User } from '../api/types';

const TOKEN_KEY = 'approvals.modeler.token';
const DESIGN_ROLES = ['designer', 'admin'];

/** Who is signed in; the token lives in this tab's session storage only. */
export class Session {
  user: User | undefined;

  constructor(readonly api: Api) {}

  /** Signs in again with the token of this tab, if it is still good. */
  async resume(): Promise<User | undefined> {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return undefined;
    this.api.setToken(token);
    try {
      return this.accept(await this.api.me(), token);
    } catch {
      this.signOut();
      return undefined;
    }
  }

  async signIn(username: string, password: string): Promise<User> {
    const { token, user } = await this.api.login(username, password);
    this.api.setToken(token);
    return this.accept(user, token);
  }

  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.api.setToken(undefined);
    this.user = undefined;
  }

  private accept(user: User, token: string): User {
    if (!user.roles.some((role) => DESIGN_ROLES.includes(role))) {
      this.signOut();
      throw new ApiError(403, 'FORBIDDEN', `${user.name}（${user.username}）没有流程设计权限，请用设计员账号登录`);
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    this.user = user;
    return user;
  }
}
