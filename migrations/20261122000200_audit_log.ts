import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('entity_type').notNullable();
    t.text('entity_id');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.specificType('prev_hash', 'char(64)').notNullable();
    t.specificType('hash', 'char(64)').notNullable();
    t.index(['entity_type', 'entity_id']);
  });
  await knex.schema.createTable('audit_anchors', (t) => {
    t.bigInteger('seq').primary();
    t.specificType('hash', 'char(64)').notNullable();
    t.text('signature').notNullable();
    t.text('key_id').notNullable();
    t.timestamp('signed_at', { useTz: true }).notNullable();
  });
}
