import type { Knex } from 'knex';

/**
 * What a draft needs beyond its form (shared/API.md "Applications"): the materials handed in, the material list the
 * guidance settled, the submission's idempotency key, the second party's confirmation, the figures kept for the
 * metrics, and the notifications the process sends (an outbox a gateway reads).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.text('situation');
    // [{code, name, required, exemptBecause?, channel}] as guidance settled it when the draft was made.
    t.jsonb('material_list').notNullable().defaultTo('[]');
    t.text('submit_key');
    t.text('channel').notNullable().defaultTo('online');
    // A clerk who made it at the counter on the applicant's behalf.
    t.text('created_by');
    // Prefilled fields / all fields, and exempted materials / all materials, when the draft was made.
    t.double('prefill_ratio');
    t.double('exemption_ratio');
    t.integer('fields_total');
    t.integer('fields_prefilled');
    t.jsonb('result');
  });

  await knex.schema.createTable('application_materials', (t) => {
    t.text('id').primary();
    t.text('application_id').notNullable().references('id').inTable('applications');
    t.text('material_code').notNullable();
    t.text('file_name').notNullable();
    t.text('media_type').notNullable();
    t.bigInteger('size').notNullable();
    t.text('sha256').notNullable();
    t.text('uploaded_by').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable();
    // A re-upload of the same material replaces this one; the old file stays in the record.
    t.timestamp('replaced_at', { useTz: true });
    t.text('ocr_status').notNullable().defaultTo('none').checkIn(['none', 'pending', 'done', 'failed']);
    t.jsonb('ocr');
    t.index(['application_id']);
  });
  await knex.raw(
    `create unique index application_materials_current on application_materials (application_id, material_code) where replaced_at is null`,
  );

  await knex.schema.createTable('confirmations', (t) => {
    // Unguessable: the link sent to the second party carries it.
    t.text('token').primary();
    t.text('application_id').notNullable().references('id').inTable('applications');
    t.text('role').notNullable();
    t.text('id_number').notNullable();
    t.text('name');
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'accepted', 'declined']);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('answered_at', { useTz: true });
    t.index(['id_number', 'status']);
    t.unique(['application_id']);
  });

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.text('application_id').references('id').inTable('applications');
    t.text('template').notNullable();
    t.text('recipient').notNullable();
    t.text('channel').notNullable().checkIn(['sms', 'inbox']);
    t.text('text').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('sent_at', { useTz: true });
    // The job that asked for it: a job run twice notifies once.
    t.text('job_key');
    t.index(['application_id']);
  });
  await knex.raw(`create unique index notifications_job on notifications (job_key, recipient) where job_key is not null`);

  await knex.raw(`create sequence case_number_seq`);
}
