import type { Knex } from 'knex';

/** The deployed form (`<matter>-<action>.form`) a draft was made with: its id and version, kept for the draft's life. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (table) => {
    table.text('form_id');
    table.integer('form_version');
  });
}
