import type { Knex } from 'knex';

// What each file under processes/ last deployed: a start redeploys a file only when its content differs from this.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('repository_files', (t) => {
    t.text('source_path').primary();
    t.specificType('checksum', 'char(64)').notNullable();
    t.bigInteger('deployment_key').notNullable().references('key').inTable('deployments');
    t.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}
