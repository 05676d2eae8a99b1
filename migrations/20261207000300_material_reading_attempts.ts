import type { Knex } from 'knex';

/**
 * A material's reading tried again when it failed for a reason that may pass (a timeout, a crashed worker): how many
 * times it was read, and when last, so retries are bounded and spaced (server/applications/material-reading.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('application_materials', (t) => {
    t.integer('ocr_attempts').notNullable().defaultTo(0);
    t.timestamp('ocr_read_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('application_materials', (t) => {
    t.dropColumn('ocr_read_at');
    t.dropColumn('ocr_attempts');
  });
}
