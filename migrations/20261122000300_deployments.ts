import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deployments', (t) => {
    t.bigIncrements('key').primary();
    t.text('deployed_by').notNullable();
    t.text('source').notNullable().checkIn(['repository', 'api']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // One row per deployed process, decision or form version.
  await knex.schema.createTable('resources', (t) => {
    t.bigIncrements('key').primary();
    t.bigInteger('deployment_key').notNullable().references('key').inTable('deployments');
    t.text('kind').notNullable().checkIn(['bpmn', 'dmn', 'form']);
    t.text('resource_id').notNullable();
    t.integer('version').notNullable();
    t.text('name');
    t.text('file_name').notNullable();
    t.specificType('checksum', 'char(64)').notNullable();
    t.text('content').notNullable();
    t.text('source_path');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['kind', 'resource_id', 'version']);
    t.index(['source_path']);
  });
}
