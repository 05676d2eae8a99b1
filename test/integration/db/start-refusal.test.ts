import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DatabaseStartError, lockDirectory, openDatabase } from '../../../server/db';
import { spawnServer } from '../../support/child';

describe('start refuses with a message that says what to do', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-refusal-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('when PostgreSQL is unreachable', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://postgres:secret@127.0.0.1:1/none', dataDir: tempDir() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DatabaseStartError);
    const message = (error as Error).message;
    expect(message).to.contain('Cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/none');
    expect(message).to.contain('unset DATABASE_URL');
    expect(message).not.to.contain('secret');
  });

  it('when the PGlite folder is held by a live process, and takes over the lock of a dead one', async () => {
    const dir = path.join(tempDir(), 'pglite');
    fs.mkdirSync(dir, { recursive: true });
    const holder = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, 'platform.lock'), String(holder.pid));
      expect(() => lockDirectory(dir)).to.throw(DatabaseStartError, `in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.on('exit', resolve));
    }
    const release = lockDirectory(dir);
    expect(fs.readFileSync(path.join(dir, 'platform.lock'), 'utf8')).to.equal(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'platform.lock'))).to.equal(false);
  });

  it('npm start exits 1 with the reason when another server holds DATA_DIR', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'pglite'));
    const release = lockDirectory(path.join(dataDir, 'pglite'));
    try {
      const server = spawnServer({ DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '' });
      expect(await server.exited).to.equal(1);
      expect(server.output()).to.match(/Cannot start: The embedded database in .* is in use by process \d+/);
    } finally {
      release();
    }
  });

  it('npm start exits 1 naming the setting when the configuration is wrong', async () => {
    const server = spawnServer({ DATA_DIR: tempDir(), PORT: 'eighty' });
    expect(await server.exited).to.equal(1);
    expect(server.output()).to.contain('Cannot start: PORT must be a non-negative integer, got "eighty"');
  });
});
