import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

interface Migration {
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/** Reads `migrations/*.ts` in name order; each runs in its own transaction (knex's default on PostgreSQL). */
class FolderSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((name) => /^\d{14}_[a-z0-9_]+\.ts$/.test(name))
      .sort();
  }
  getMigrationName(name: string): string {
    return name.replace(/\.ts$/, '');
  }
  async getMigration(name: string): Promise<Migration> {
    const module = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, name)).href)) as Migration;
    return { up: module.up, down: async () => { throw new Error('migrations are forward-only'); } };
  }
}

/** Applies the migrations not yet applied and returns their names (empty when up to date). */
export async function migrate(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: new FolderSource(), tableName: 'knex_migrations' })) as [
    number,
    string[],
  ];
  return applied;
}

export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list({ migrationSource: new FolderSource(), tableName: 'knex_migrations' })) as [
    unknown[],
    { file: string }[],
  ];
  return pending.map((p) => (typeof p === 'string' ? p : p.file));
}
