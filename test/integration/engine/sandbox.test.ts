import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { HYGIENE, submitFlawedChange } from '../../support/clerk-cases';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const MAIN = `${HYGIENE}-change`;
/** Every job type of the change's automatic path: each would change the application, its licence, archive or notices. */
const TYPES = ['ai-review', 'archive', 'esign', 'license-publish', 'notify', 'ocr', 'prefill', 'review', 'status'];

/**
 * Feature: a designer's try-it (sandbox) instance changes nothing real, even when its variables carry a real
 * application's id (JOBS.md, issue 8 §5). Given enterprise1's hygiene-permit change waiting for a clerk, when a designer
 * starts the real change process through POST /process-instances with that application's id, then the instance runs
 * every worker of the automatic path (status, prefill, ocr, review, esign, license-publish, notify, archive) to its end,
 * and the application, its timeline, findings and materials, the licences, documents, archives, notices and the stored
 * files are as they were. A designer sees and cancels only sandbox instances; an admin any.
 */
describe('Sandbox: a try-it instance with a real application id changes nothing real', function () {
  this.timeout(120_000);
  let server: TestServer;
  let designer: string;
  let admin: string;
  let applicationId: string;
  let realKey: string;

  before(async () => {
    server = await startTestServer();
    designer = await server.login('designer');
    admin = await server.login('admin');
    applicationId = await submitFlawedChange(server, await server.login('enterprise1'));
    const knex = server.running.platform.db.knex;
    // The real case has stopped at the clerk's acceptance: nothing of its own runs while the try-it does.
    await eventually(
      () => knex('tasks').where({ application_id: applicationId, state: 'created' }).first('key'),
      (task) => Boolean(task),
      60_000,
    );
    realKey = String((await knex('applications').where({ id: applicationId }).first('process_instance_key')).process_instance_key);
  });
  after(() => server?.close());

  const knex = () => server.running.platform.db.knex;
  const call = (token: string, method: string, url: string, json?: unknown) => server.request(method, url, { token, json });

  function files(dir: string): Record<string, number> {
    if (!fs.existsSync(dir)) return {};
    const found: Record<string, number> = {};
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      found[path.relative(dir, full)] = fs.statSync(full).size;
    }
    return found;
  }

  /** Everything real a worker could write: the application and all that hangs off it, the registries, the files. */
  async function realState() {
    const db = knex();
    return {
      application: await db('applications').where({ id: applicationId }).first(),
      events: await db('application_events').where({ application_id: applicationId }).orderBy('id'),
      materials: await db('application_materials').where({ application_id: applicationId }).orderBy('id'),
      licenses: await db('licenses').orderBy('id'),
      documents: await db('documents').orderBy('id'),
      archives: await db('archives').orderBy('id'),
      notifications: await db('notifications').orderBy('id'),
      confirmations: await db('confirmations').orderBy('token'),
      files: files(path.join(server.database.dataDir, 'files')),
    };
  }

  it("runs the real process to its end on the real application's id, through every worker, and changes nothing real", async () => {
    const before = await realState();
    expect(before.application.status).not.to.equal('approved');
    const application = before.application;
    const started = await call(designer, 'POST', '/api/v1/process-instances', {
      bpmnProcessId: MAIN,
      variables: {
        applicationId,
        matterSlug: HYGIENE,
        action: 'change',
        applicantId: application.applicant_id,
        submittedAt: new Date(application.submitted_at).toISOString(),
      },
    });
    expect(started.status, started.text).to.equal(201);
    const key = started.body.key;
    const ended = await eventually(
      async () => (await call(designer, 'GET', `/api/v1/process-instances/${key}`)).body,
      (view) => view.state !== 'active',
      60_000,
    );
    expect(ended, JSON.stringify(ended.incidents)).to.deep.include({ state: 'completed', sandbox: true, incidents: [] });
    expect(ended.variables).to.include({ applicationId, sandbox: true, outcome: 'approved' });

    const jobs = await knex()('jobs as j')
      .join('process_instances as p', 'p.key', 'j.instance_key')
      .where('p.sandbox', true)
      .whereRaw(`p.variables->>'applicationId' = ?`, [applicationId])
      .select('j.type', 'j.state', 'j.variables');
    expect([...new Set(jobs.map((j) => j.type))].sort()).to.deep.equal(TYPES);
    for (const job of jobs) expect(job.state, job.type).to.equal('completed');

    expect(await realState()).to.deep.equal(before);
    const real = await server.running.platform.engine.getInstance(realKey);
    expect(real!.state, 'the real case still waits for its clerk').to.equal('active');
  });

  it('lets a designer read and cancel a sandbox instance, and answers 404 for a real one as for none', async () => {
    const waiting = await call(designer, 'POST', '/api/v1/process-instances', {
      bpmnProcessId: 'common-clerk-path',
      variables: { applicationId, department: 'health' },
    });
    expect(waiting.status, waiting.text).to.equal(201);
    expect((await call(designer, 'GET', `/api/v1/process-instances/${waiting.body.key}`)).status).to.equal(200);

    const read = await call(designer, 'GET', `/api/v1/process-instances/${realKey}`);
    const none = await call(designer, 'GET', '/api/v1/process-instances/999999999');
    expect(read.status).to.equal(404);
    expect(read.body).to.deep.equal(none.body);
    const cancelReal = await call(designer, 'POST', `/api/v1/process-instances/${realKey}/cancellation`);
    expect(cancelReal.status).to.equal(404);
    expect(cancelReal.body).to.deep.equal((await call(designer, 'POST', '/api/v1/process-instances/999999999/cancellation')).body);
    expect((await server.running.platform.engine.getInstance(realKey))!.state).to.equal('active');

    const cancelled = await call(designer, 'POST', `/api/v1/process-instances/${waiting.body.key}/cancellation`);
    expect(cancelled.status, cancelled.text).to.equal(204);
    expect((await call(designer, 'GET', `/api/v1/process-instances/${waiting.body.key}`)).body.state).to.equal('terminated');
    await server.running.platform.audit.flush();
    const audited = await knex()('audit_log').where({ action: 'instance.cancelled', entity_id: waiting.body.key }).first('actor');
    expect(audited.actor).to.equal('designer');
  });

  it("finds the application's real instance for a restart's lookup, never a try-it that carries its id", async () => {
    const tryIts = await knex()('process_instances')
      .where({ bpmn_process_id: MAIN, sandbox: true })
      .whereRaw(`variables->>'applicationId' = ?`, [applicationId])
      .pluck('key');
    expect(tryIts, 'the try-it of the first case').to.have.length(1);
    expect(await server.running.platform.engine.findApplicationInstance(MAIN, applicationId)).to.equal(realKey);
    expect(await server.running.platform.engine.findApplicationInstance(MAIN, 'NO-SUCH-APPLICATION')).to.equal(undefined);
  });

  it('lets an admin read and cancel a real instance', async () => {
    const read = await call(admin, 'GET', `/api/v1/process-instances/${realKey}`);
    expect(read.status, read.text).to.equal(200);
    expect(read.body).to.include({ key: realKey, sandbox: false });
    const cancelled = await call(admin, 'POST', `/api/v1/process-instances/${realKey}/cancellation`);
    expect(cancelled.status, cancelled.text).to.equal(204);
    expect((await server.running.platform.engine.getInstance(realKey))!.state).to.equal('terminated');
  });
});
