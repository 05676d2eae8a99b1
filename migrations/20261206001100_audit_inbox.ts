import type { Knex } from 'knex';

/**
 * Audit entries waiting to be chained (server/audit/audit-log.ts): written in the transaction of the change they
 * record, without the chain lock, and moved into audit_log in batches. `at` and `data` are the text the row's
 * hash covers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_inbox', (t) => {
    t.bigIncrements('id');
    t.text('at').notNullable();
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('entity_type').notNullable();
    t.text('entity_id');
    t.text('data').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_inbox');
}
