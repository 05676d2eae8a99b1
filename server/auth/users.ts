import type { Enforcer } from 'casbin';
import type { Knex } from 'knex';
import type { Principal } from './principal';

export interface UserRow {
  id: string;
  username: string;
  password_hash: string | null;
  display_name: string;
  kind: Principal['kind'];
  department: string | null;
  id_number: string | null;
  uscc: string | null;
  disabled: boolean;
}

/** Reads `users` and the casbin grouping rows of each user. */
export class Users {
  constructor(private readonly knex: Knex, private readonly enforcer: Enforcer) {}

  async byUsername(username: string): Promise<UserRow | undefined> {
    return this.knex<UserRow>('users').where({ username }).first();
  }

  async byId(id: string): Promise<UserRow | undefined> {
    return this.knex<UserRow>('users').where({ id }).first();
  }

  async principal(row: UserRow): Promise<Principal> {
    const groupings = await this.enforcer.getFilteredNamedGroupingPolicy('g', 0, row.id);
    return {
      id: row.id,
      username: row.username,
      name: row.display_name,
      kind: row.kind,
      department: row.department,
      roles: [...new Set(groupings.map((g) => g[1]))].sort(),
      idNumber: row.id_number,
      uscc: row.uscc,
    };
  }
}
