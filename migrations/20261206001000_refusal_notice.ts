import type { Knex } from 'knex';

/** A refusal to accept an application (不予受理决定书) is a signed document of its own kind. */
export async function up(knex: Knex): Promise<void> {
  const constraint = await knex
    .select('con.conname')
    .from('pg_constraint as con')
    .join('pg_class as rel', 'rel.oid', 'con.conrelid')
    .where({ 'rel.relname': 'documents', 'con.contype': 'c' })
    .whereRaw(`pg_get_constraintdef(con.oid) like '%kind%'`)
    .first();
  if (constraint) await knex.raw('alter table documents drop constraint ??', [constraint.conname]);
  await knex.raw(
    `alter table documents add constraint documents_kind_check check (kind in ('licence', 'decision', 'acceptance-notice', 'refusal-notice'))`,
  );
}

