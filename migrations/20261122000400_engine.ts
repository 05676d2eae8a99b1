import type { Knex } from 'knex';

/** The embedded engine's durable state: instances, and the wait states they park on. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_instances', (t) => {
    t.bigIncrements('key').primary();
    t.text('bpmn_process_id').notNullable();
    t.integer('version').notNullable();
    t.bigInteger('resource_key').notNullable().references('key').inTable('resources');
    t.text('state').notNullable().checkIn(['active', 'completed', 'terminated', 'incident']);
    t.jsonb('variables').notNullable().defaultTo('{}');
    // bpmn-engine's own state without the definition source (kept once per version in `resources`).
    t.jsonb('engine_state');
    t.integer('revision').notNullable().defaultTo(0);
    t.specificType('active_elements', 'text[]').notNullable().defaultTo('{}');
    // The element executions it waits at, to know which job, task, timer or subscription rows a step ended.
    t.specificType('waiting', 'text[]').notNullable().defaultTo('{}');
    t.bigInteger('parent_key');
    t.text('parent_element_instance');
    t.boolean('sandbox').notNullable().defaultTo(false);
    t.text('started_by').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.index(['state']);
    t.index(['parent_key']);
  });
  await knex.schema.createTable('jobs', (t) => {
    t.bigIncrements('key').primary();
    t.bigInteger('instance_key').notNullable().references('key').inTable('process_instances');
    t.text('element_id').notNullable();
    t.text('element_instance_id').notNullable();
    t.text('type').notNullable();
    t.jsonb('headers').notNullable().defaultTo('{}');
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.integer('retries').notNullable();
    // Bumped at each activation: a late answer from an earlier activation is not the current one.
    t.integer('activation').notNullable().defaultTo(0);
    t.text('state').notNullable().checkIn(['activatable', 'activated', 'completed', 'error_thrown', 'failed', 'cancelled']);
    t.text('worker');
    t.timestamp('deadline', { useTz: true });
    t.timestamp('retry_at', { useTz: true });
    t.text('error_message');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.unique(['instance_key', 'element_instance_id']);
  });
  await knex.raw(`create index jobs_activatable on jobs (type, retry_at) where state = 'activatable'`);
  await knex.raw(`create index jobs_activated_deadline on jobs (deadline) where state = 'activated'`);
  await knex.schema.createTable('tasks', (t) => {
    t.bigIncrements('key').primary();
    t.bigInteger('instance_key').notNullable().references('key').inTable('process_instances');
    t.text('bpmn_process_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_instance_id').notNullable();
    t.text('name');
    t.specificType('candidate_groups', 'text[]').notNullable().defaultTo('{}');
    t.specificType('candidate_users', 'text[]').notNullable().defaultTo('{}');
    t.text('assignee');
    t.timestamp('due_date', { useTz: true });
    t.timestamp('follow_up_date', { useTz: true });
    t.text('form_key');
    t.integer('priority').notNullable().defaultTo(50);
    t.text('application_id');
    t.boolean('sandbox').notNullable().defaultTo(false);
    t.text('state').notNullable().checkIn(['created', 'completed', 'cancelled']);
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.text('completed_by');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('completed_at', { useTz: true });
    t.unique(['instance_key', 'element_instance_id']);
  });
  await knex.raw(`create index tasks_open_by_group on tasks using gin (candidate_groups) where state = 'created'`);
  await knex.schema.createTable('timers', (t) => {
    t.bigIncrements('key').primary();
    t.bigInteger('instance_key').notNullable().references('key').inTable('process_instances');
    t.text('element_id').notNullable();
    t.text('element_instance_id').notNullable();
    t.text('timer_type').notNullable();
    t.text('expression').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.integer('repetitions');
    t.text('state').notNullable().checkIn(['armed', 'fired', 'cancelled']);
    t.unique(['instance_key', 'element_instance_id']);
  });
  await knex.raw(`create index timers_due on timers (due_at) where state = 'armed'`);
  await knex.schema.createTable('message_subscriptions', (t) => {
    t.bigIncrements('key').primary();
    t.bigInteger('instance_key').notNullable().references('key').inTable('process_instances');
    t.text('element_id').notNullable();
    t.text('element_instance_id').notNullable();
    t.text('message_name').notNullable();
    t.text('correlation_key').notNullable();
    t.boolean('sandbox').notNullable().defaultTo(false);
    t.text('state').notNullable().checkIn(['open', 'correlated', 'closed']);
    t.unique(['instance_key', 'element_instance_id']);
  });
  await knex.raw(`create index subscriptions_open on message_subscriptions (message_name, correlation_key) where state = 'open'`);
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('key').primary();
    t.text('name').notNullable();
    t.text('correlation_key').notNullable();
    t.text('message_id');
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.boolean('sandbox').notNullable().defaultTo(false);
    t.timestamp('published_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.bigInteger('correlated_instance_key');
    t.index(['name', 'correlation_key']);
  });
  await knex.raw(`create unique index messages_message_id on messages (name, message_id) where message_id is not null`);
  await knex.schema.createTable('incidents', (t) => {
    t.bigIncrements('key').primary();
    t.bigInteger('instance_key').notNullable().references('key').inTable('process_instances');
    t.bigInteger('job_key').references('key').inTable('jobs');
    t.text('element_id').notNullable();
    t.text('error_type').notNullable();
    t.text('error_message').notNullable();
    // The action that failed, applied again when the incident is resolved.
    t.jsonb('trigger');
    t.text('state').notNullable().checkIn(['open', 'resolved']);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('resolved_at', { useTz: true });
    t.text('resolved_by');
    t.index(['instance_key']);
  });
  await knex.raw(`create index incidents_open on incidents (created_at) where state = 'open'`);
}
