import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.text('id').primary();
    t.text('username').notNullable().unique();
    t.text('password_hash');
    t.text('display_name').notNullable();
    t.text('kind').notNullable().checkIn(['person', 'enterprise', 'staff']);
    t.text('department');
    t.text('id_number');
    t.text('uscc');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('login_attempts', (t) => {
    t.text('username').primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.timestamp('last_failure_at', { useTz: true });
    t.timestamp('locked_until', { useTz: true });
  });
  // The shape casbin-knex-adapter reads and writes.
  await knex.schema.createTable('casbin_rule', (t) => {
    t.increments('id').primary();
    t.string('ptype');
    t.string('v0');
    t.string('v1');
    t.string('v2');
    t.string('v3');
    t.string('v4');
    t.string('v5');
    t.index(['ptype', 'v0']);
  });
}
