import type { Knex } from 'knex';
import type { DatabaseKind } from '../../db';

export type RunStatement = (name: string, sql: string, bindings: unknown[]) => Promise<any[]>;

/**
 * Runs the engine's hot statements. On PostgreSQL as named prepared statements, parsed and planned once per
 * connection instead of at every step; on PGlite (one connection in this process) through knex.
 */
export function statementRunner(knex: Knex, kind: DatabaseKind): RunStatement {
  if (kind !== 'postgres') return async (_name, sql, bindings) => (await knex.raw(sql, bindings as Knex.RawBinding[])).rows;
  const texts = new Map<string, string>();
  const client = knex.client as unknown as { acquireConnection(): Promise<any>; releaseConnection(c: unknown): Promise<void> };
  return async (name, sql, bindings) => {
    let text = texts.get(name);
    if (!text) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      texts.set(name, text);
    }
    const connection = await client.acquireConnection();
    try {
      return (await connection.query({ name, text, values: bindings })).rows;
    } finally {
      await client.releaseConnection(connection);
    }
  };
}
