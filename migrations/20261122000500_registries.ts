import type { Knex } from 'knex';

/** The shared-data registries a sample of which is seeded (persons, enterprises) and the e-licence library. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('persons', (t) => {
    t.text('id_number').primary();
    t.text('name').notNullable();
    t.text('sex').notNullable().checkIn(['男', '女']);
    t.text('ethnicity').notNullable();
    t.date('birth_date').notNullable();
    t.text('address').notNullable();
    t.text('phone');
    t.text('employer_uscc');
    t.index(['employer_uscc']);
  });
  await knex.schema.createTable('enterprises', (t) => {
    t.text('uscc').primary();
    t.text('name').notNullable();
    t.text('type').notNullable();
    t.text('legal_representative_name').notNullable();
    t.text('legal_representative_id_number').notNullable();
    t.text('address').notNullable();
    t.date('established_on').notNullable();
    // In 万元 (ten thousand yuan), as the business licence states it.
    t.decimal('registered_capital', 14, 2).notNullable();
    t.text('status').notNullable().checkIn(['active', 'revoked', 'cancelled']);
    t.text('business_scope').notNullable();
    t.text('phone');
  });
  await knex.schema.createTable('licenses', (t) => {
    // Unguessable: the public verification URL carries it.
    t.text('id').primary();
    t.text('identifier').notNullable().unique();
    t.text('type_code').notNullable();
    t.text('type_name').notNullable();
    t.text('number').notNullable();
    t.text('issuer_name').notNullable();
    t.text('issuer_code').notNullable();
    t.date('issue_date').notNullable();
    t.date('valid_from').notNullable();
    // Null: without end (长期).
    t.date('valid_until');
    t.text('holder_name').notNullable();
    t.text('holder_code').notNullable();
    t.text('holder_type').notNullable().checkIn(['111', '001']);
    t.text('territory_code').notNullable();
    t.text('related_identifier');
    t.integer('version').notNullable().defaultTo(1);
    t.text('status').notNullable().checkIn(['valid', 'superseded', 'revoked', 'expired']);
    t.jsonb('data').notNullable().defaultTo('{}');
    t.text('document_sha256');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['holder_code', 'type_code'], 'licenses_holder');
    t.index(['type_code'], 'licenses_type');
    t.index(['status'], 'licenses_status');
  });
}
