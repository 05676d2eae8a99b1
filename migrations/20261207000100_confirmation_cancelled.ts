import type { Knex } from 'knex';

/** A second party's confirmation is cancelled when the applicant withdraws: it is no longer asked for, nor taken. */
export async function up(knex: Knex): Promise<void> {
  const constraint = await knex
    .select('con.conname')
    .from('pg_constraint as con')
    .join('pg_class as rel', 'rel.oid', 'con.conrelid')
    .where({ 'rel.relname': 'confirmations', 'con.contype': 'c' })
    .whereRaw(`pg_get_constraintdef(con.oid) like '%status%'`)
    .first();
  if (constraint) await knex.raw('alter table confirmations drop constraint ??', [constraint.conname]);
  await knex.raw(
    `alter table confirmations add constraint confirmations_status_check check (status in ('pending', 'accepted', 'declined', 'cancelled'))`,
  );
}
