import type { Knex } from 'knex';
import type { Auth } from './auth';
export async function seedDemoUsers(_knex: Knex, _auth: Auth): Promise<void> {}
