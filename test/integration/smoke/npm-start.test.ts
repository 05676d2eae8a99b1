import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { spawnServer } from '../../support/child';
import { createTestDatabase, type TestDatabase } from '../../support/database';

describe('npm start', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  it('prints one line with the URL when ready, serves, and stops cleanly on SIGTERM', async function () {
    this.timeout(60000);
    const server = spawnServer({ DATA_DIR: database.dataDir, DATABASE_URL: database.databaseUrl ?? '', PORT: '0', HOST: '127.0.0.1' });
    const url = await server.ready;
    const lines = server.output().split('\n').filter((l) => l.includes('ready on'));
    expect(lines).to.have.length(1);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).to.equal(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    if (!database.databaseUrl) expect(fs.existsSync(path.join(database.dataDir, 'pglite', 'platform.lock'))).to.equal(false);
  });
});
