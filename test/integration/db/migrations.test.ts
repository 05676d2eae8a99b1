import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase, type Database } from '../../../server/db';
import { migrate, pendingMigrations } from '../../../server/migrate';
import { ROOT } from '../../support/child';
import { createTestDatabase, type TestDatabase } from '../../support/database';

describe('migrations', () => {
  let database: TestDatabase;
  let db: Database;

  before(async () => {
    database = await createTestDatabase({ empty: true });
    db = await openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
  });
  after(async () => {
    await db?.close();
    await database?.drop();
  });

  it('migrate an empty database to every table, then a second run applies nothing', async () => {
    const files = fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts'));
    expect(await pendingMigrations(db.knex)).to.have.length(files.length);

    const applied = await migrate(db.knex);
    expect(applied.sort()).to.deep.equal(files.map((f) => f.replace(/\.ts$/, '')).sort());
    const tables = await db.knex.raw(`select table_name from information_schema.tables where table_schema = 'public'`);
    const names = tables.rows.map((r: { table_name: string }) => r.table_name);
    for (const t of ['users', 'login_attempts', 'casbin_rule', 'audit_log', 'audit_anchors', 'deployments', 'resources', 'process_instances', 'jobs', 'tasks', 'timers', 'message_subscriptions', 'messages', 'incidents', 'persons', 'enterprises', 'licenses', 'applications', 'application_events']) {
      expect(names, t).to.include(t);
    }

    expect(await migrate(db.knex)).to.deep.equal([]);
    expect(await pendingMigrations(db.knex)).to.deep.equal([]);
  });

  it(`runs on ${process.env.DATABASE_URL ? 'PostgreSQL 15 or newer' : 'PGlite'}`, async () => {
    const result = await db.knex.raw(`select current_setting('server_version_num')::int as v`);
    expect(result.rows[0].v).to.be.at.least(150000);
  });
});
