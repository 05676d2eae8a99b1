import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { openDatabase } from '../../server/db';
import { migrate } from '../../server/migrate';

export interface TestDatabase {
  /** Set when the suite runs on PostgreSQL (DATABASE_URL given to the test run). */
  databaseUrl?: string;
  /** A fresh folder for PGlite, files and keys. */
  dataDir: string;
  kind: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

export const onPostgres = (): boolean => Boolean(process.env.DATABASE_URL);

function uniqueName(): string {
  return `t_${Date.now().toString(36)}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
}

async function withAdmin<T>(run: (admin: ReturnType<typeof knexFactory>) => Promise<T>): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
  try {
    return await run(admin);
  } finally {
    await admin.destroy();
  }
}

let template: Promise<string> | undefined;

/** A migrated PGlite folder made once per test process and copied for each suite (a cold PGlite start costs about 5 s). */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-template-'));
    const db = await openDatabase({ dataDir: dir });
    await migrate(db.knex);
    await db.close();
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return template;
}

/**
 * A database of its own for one suite: a unique PostgreSQL database, or a PGlite folder; dropped by `drop()`.
 * PGlite folders are copies of a migrated template unless `empty` asks for a never-migrated one.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-test-'));
  if (onPostgres()) {
    const name = uniqueName();
    await withAdmin((admin) => admin.raw(`create database ${name}`));
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    return {
      databaseUrl: url.toString(),
      dataDir,
      kind: 'postgres',
      async drop() {
        await withAdmin((admin) => admin.raw(`drop database if exists ${name} with (force)`));
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!options.empty) fs.cpSync(await pgliteTemplate(), dataDir, { recursive: true });
  return {
    dataDir,
    kind: 'pglite',
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
