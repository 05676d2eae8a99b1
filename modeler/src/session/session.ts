import { Api, ApiError } from '../api/client';
import type { User } from '../api/types';

/** Which page signs in: where it keeps the token, which roles may use it, and what to say to anyone else. */
export interface SessionOptions {
  tokenKey: string;
  roles: readonly string[];
  refusal(user: User): string;
}

const MODELER: SessionOptions = {
  tokenKey: 'approvals.modeler.token',
  roles: ['designer', 'admin'],
  refusal: (user) => `${user.name}（${user.username}）没有流程设计权限，请用设计员账号登录`,
};

/** Who is signed in; the token lives in this tab's session storage only. */
export class Session {
  user: User | undefined;

  constructor(
    readonly api: Api,
    private readonly options: SessionOptions = MODELER,
  ) {}

  /** Signs in again with the token of this tab, if it is still good. */
  async resume(): Promise<User | undefined> {
    const token = sessionStorage.getItem(this.options.tokenKey);
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
    sessionStorage.removeItem(this.options.tokenKey);
    this.api.setToken(undefined);
    this.user = undefined;
  }

  private accept(user: User, token: string): User {
    if (!user.roles.some((role) => this.options.roles.includes(role))) {
      this.signOut();
      throw new ApiError(403, 'FORBIDDEN', this.options.refusal(user));
    }
    sessionStorage.setItem(this.options.tokenKey, token);
    this.user = user;
    return user;
  }
}
