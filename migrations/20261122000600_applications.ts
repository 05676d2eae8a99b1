import type { Knex } from 'knex';

/** Applications and their timeline (shared/JOBS.md "Application status"). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (t) => {
    t.text('id').primary();
    t.text('matter_slug').notNullable();
    t.text('action').notNullable();
    t.text('department').notNullable();
    t.text('applicant_id').notNullable();
    t.text('status')
      .notNullable()
      .checkIn(['draft', 'submitted', 'reviewing', 'awaiting_confirmation', 'manual_review', 'returned', 'approved', 'rejected', 'withdrawn', 'closed']);
    t.text('case_number').unique();
    t.text('resume_code').notNullable().unique();
    t.text('license_id');
    t.jsonb('answers').notNullable().defaultTo('{}');
    t.jsonb('form').notNullable().defaultTo('{}');
    t.jsonb('findings').notNullable().defaultTo('[]');
    t.bigInteger('process_instance_key');
    t.boolean('sandbox').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
    t.index(['applicant_id', 'status']);
    t.index(['department', 'status']);
  });
  await knex.schema.createTable('application_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('application_id').notNullable().references('id').inTable('applications');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('kind').notNullable();
    t.text('status');
    t.text('message').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    // The job that wrote it: a job run twice writes its event once.
    t.text('job_key');
    t.index(['application_id', 'at']);
  });
  await knex.raw(`create unique index application_events_job on application_events (application_id, job_key) where job_key is not null`);
}
