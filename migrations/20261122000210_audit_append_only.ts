import type { Knex } from 'knex';

// The application only ever inserts into the audit tables; a stray UPDATE, DELETE or TRUNCATE is refused. A
// superuser can still switch the triggers off, which is what the hash chain and the signed anchors are for.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'insufficient_privilege';
    end
    $$`);
  for (const table of ['audit_log', 'audit_anchors']) {
    await knex.raw(`create trigger ${table}_append_only before update or delete on ${table} for each row execute function audit_refuse_change()`);
    await knex.raw(`create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function audit_refuse_change()`);
  }
}
