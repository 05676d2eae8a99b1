import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { complete } from '../../../workers/worker';
import { ROOT } from '../../support/child';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';

/** Closed cases archived by the real archive worker (and by a withdrawal), and the four-property check of the packages. */
describe('Archive: a package per closed case, and its four-property check', function () {
  this.timeout(120_000);
  let server: TestServer;
  let enterprise1: string;
  let admin: string;

  before(async () => {
    server = await startTestServer({ disabledWorkers: ['ocr', 'review'] });
    const engine = server.running.platform.engine;
    engine.registerWorker({ type: 'ocr', handler: async () => complete({ ocr: { materials: 0, lowConfidence: [] } }) });
    engine.registerWorker({ type: 'review', handler: async () => complete({ review: { passed: true, findings: [], tableVersion: 1 } }) });
    enterprise1 = await server.login('enterprise1');
    admin = await server.login('admin');
  });
  after(() => server?.close());

  const knex = () => server.running.platform.db.knex;
  const typed = HYGIENE_CHANGE_FORM;
  async function submitted(): Promise<string> {
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id;
    await server.request('PATCH', `/api/v1/applications/${id}`, { token: enterprise1, json: { form: typed } });
    const reply = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token: enterprise1,
      headers: { 'idempotency-key': `k-${id}` },
    });
    expect(reply.status, reply.text).to.equal(202);
    return id;
  }

  let approvedId: string;

  it('archives an approved case once its licence is issued, and the package passes all four properties', async () => {
    approvedId = await submitted();
    const archive = await eventually(
      () => knex()('archives').where({ application_id: approvedId }).first(),
      (row) => Boolean(row),
      30_000,
    );
    expect(archive.retention).to.equal('30年');
    const paths = archive.manifest.files.map((f: any) => f.path);
    expect(paths).to.include.members([
      'metadata.json',
      'form.json',
      'audit.json',
      'documents/001-decision.pdf',
      'documents/002-licence.pdf',
    ]);
    const view = await server.request('GET', `/api/v1/applications/${approvedId}`, { token: enterprise1 });
    expect(view.body.timeline.map((e: any) => e.kind)).to.include('archive');
    const checked = await server.request('POST', '/api/v1/archives/verify', { token: admin, json: { applicationId: approvedId } });
    expect(checked.status, checked.text).to.equal(200);
    expect(checked.body).to.deep.equal({ checked: 1, passed: 1, failures: [] });
  });

  it('archives a case withdrawn after submission (while it waits for the second party)', async () => {
    const enterprise3 = await server.login('enterprise3');
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise3,
      json: {
        matter: 'dangerous-goods-staff-employer-change',
        action: 'apply',
        answers: { staffCategory: 'driver', certificateOrigin: 'local' },
      },
    });
    const id = created.body.id;
    await server.request('PATCH', `/api/v1/applications/${id}`, {
      token: enterprise3,
      json: {
        form: { staffIdNumber: '360426199101010071', employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' },
      },
    });
    await server.request('POST', `/api/v1/applications/${id}/submit`, { token: enterprise3, headers: { 'idempotency-key': `k-${id}` } });
    await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise3 })).body.status,
      (status) => status === 'awaiting_confirmation',
    );
    const withdrawn = await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: enterprise3 });
    expect(withdrawn.status, withdrawn.text).to.equal(200);
    const archive = await knex()('archives').where({ application_id: id }).first('id', 'manifest');
    expect(archive, 'archived at the withdrawal').to.not.equal(undefined);
    const checked = await server.request('POST', '/api/v1/archives/verify', { token: admin, json: { applicationId: id } });
    expect(checked.body).to.deep.equal({ checked: 1, passed: 1, failures: [] });
  });

  it('names a package altered in storage, refuses a non-admin, and 404s an application without one', async () => {
    const row = await knex()('archives').where({ application_id: approvedId }).first('id', 'sha256');
    const file = path.join(server.database.dataDir, 'files', row.sha256.slice(0, 2), row.sha256.slice(2, 4), row.sha256);
    const original = fs.readFileSync(file);
    const altered = Buffer.from(original);
    altered[Math.floor(altered.length / 2)] ^= 0xff;
    fs.writeFileSync(file, altered);
    try {
      const checked = await server.request('POST', '/api/v1/archives/verify', { token: admin, json: {} });
      expect(checked.body.passed).to.equal(checked.body.checked - 1);
      expect(checked.body.failures).to.deep.include({
        archiveId: row.id,
        applicationId: approvedId,
        property: 'authenticity',
        reason: 'the stored package is not the one recorded (SHA-256 differs)',
      });
    } finally {
      fs.writeFileSync(file, original);
    }
    expect((await server.request('POST', '/api/v1/archives/verify', { token: enterprise1, json: {} })).status).to.equal(403);
    expect((await server.request('POST', '/api/v1/archives/verify', { token: admin, json: { applicationId: 'no-such' } })).status).to.equal(
      404,
    );
  });

  it('npm run archive:verify checks the packages from the command line, and refuses a PGlite directory a server holds', () => {
    const env = {
      ...process.env,
      DATA_DIR: server.database.dataDir,
      SIGNING_CA_DIR: path.join(os.tmpdir(), 'approvals-test-signing-ca'),
      DATABASE_URL: server.database.databaseUrl ?? '',
    };
    if (!server.database.databaseUrl) delete (env as Record<string, string | undefined>).DATABASE_URL;
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'archive-verify.ts'), '--all'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    if (server.database.kind === 'pglite') {
      expect(run.status).to.equal(2);
      expect(run.stderr).to.match(/archive:verify: .*(in use|held|lock|running)/i);
    } else {
      expect(run.status, run.stderr + run.stdout).to.equal(0);
      expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).to.include({ failures: 0 });
    }
  });
});
