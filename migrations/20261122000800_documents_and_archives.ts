import type { Knex } from 'knex';

/**
 * What issuing makes of a decided case: signed documents (the licence, the decision letter, the acceptance notice),
 * the licence a document carries until it is published, and the archive package of a closed case.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', (t) => {
    t.text('id').primary();
    t.text('application_id').notNullable().references('id').inTable('applications');
    t.text('kind').notNullable().checkIn(['licence', 'decision', 'acceptance-notice']);
    t.text('sha256').notNullable();
    t.bigInteger('size').notNullable();
    t.text('signer').notNullable();
    t.timestamp('signed_at', { useTz: true }).notNullable();
    // The licence record this document is, published to `licenses` by the license-publish job.
    t.text('license_id');
    t.jsonb('license');
    // One of each kind per application: a job run twice signs once.
    t.unique(['application_id', 'kind']);
    t.index(['sha256']);
  });
  await knex.schema.alterTable('licenses', (t) => {
    t.text('application_id');
  });
  await knex.schema.createTable('archives', (t) => {
    t.text('id').primary();
    t.text('application_id').notNullable().unique().references('id').inTable('applications');
    t.text('sha256').notNullable();
    t.bigInteger('size').notNullable();
    t.text('retention').notNullable();
    t.jsonb('manifest').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.raw(`create sequence license_serial_seq`);
}
