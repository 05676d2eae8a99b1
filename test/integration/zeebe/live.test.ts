import { expect } from 'chai';
import { idCardPhoto, personRow } from '../../support/documents';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';
const LIVE = Boolean(process.env.ZEEBE_GRPC_ADDRESS);

/** What a clerk decides at each kind of task to let a case through: accept it, then approve it. */
const DECISION_BY_FORM: Record<string, string> = { 'common-clerk-acceptance': 'accept', 'common-clerk-review': 'approve' };

/**
 * The end-to-end cases of the Zeebe protocol tests against a real Camunda 8.8 cluster, configured by the SDK's own
 * variables (ZEEBE_GRPC_ADDRESS, ZEEBE_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY and its credentials; docs/zeebe.md). The
 * cluster runs the processes: its timers, correlation and call activities. Skipped without ZEEBE_GRPC_ADDRESS.
 */
describe('Zeebe live: the same cases on a real Camunda 8 cluster', function () {
  this.timeout(180_000);
  let server: TestServer;

  before(async function () {
    if (!LIVE) {
      console.warn(
        '\n  !!! SKIPPED: the live Zeebe suite (test/integration/zeebe/live.test.ts) needs a Camunda 8.8 cluster.\n' +
          '  !!! Set ZEEBE_GRPC_ADDRESS, ZEEBE_REST_ADDRESS and CAMUNDA_AUTH_STRATEGY (see docs/zeebe.md) to run it.\n',
      );
      this.skip();
    }
    server = await startTestServer({ engine: 'zeebe' });
  });
  after(() => server?.close());

  const typed = HYGIENE_CHANGE_FORM;

  async function draft(): Promise<{ token: string; id: string }> {
    const token = await server.login('enterprise1');
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    await server.request('PATCH', `/api/v1/applications/${created.body.id}`, { token, json: { form: typed } });
    return { token, id: created.body.id };
  }

  const submit = async (token: string, id: string) => {
    const reply = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `live-${id}` },
    });
    expect(reply.status, reply.text).to.equal(202);
  };
  const view = async (token: string, id: string) => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body;

  it('approves a clean hygiene-permit change automatically (秒批): signed, published, archived', async () => {
    const { token, id } = await draft();
    await submit(token, id);
    const done = await eventually(
      () => view(token, id),
      (v) => v.status === 'approved' && v.result !== null,
      120_000,
    );
    expect(done.timeline.filter((e: any) => e.kind === 'status').map((e: any) => e.status)).to.include.members(['reviewing', 'approved']);
    expect(done.result.licenseId).to.be.a('string');
  });

  it('sends a flawed case to the health clerks only, who claim and decide it through the worklist', async () => {
    const { token, id } = await draft();
    const knex = server.running.platform.db.knex;
    const enterprise = await knex('enterprises').where({ uscc: '91110000600037341L' }).first('legal_representative_id_number');
    const someoneElse = { ...(await personRow(knex, enterprise.legal_representative_id_number)), name: '王建国' };
    const body = new FormData();
    body.append('materialCode', 'HP-13');
    body.append('file', new Blob([new Uint8Array(await idCardPhoto(someoneElse))]), 'HP-13.jpg');
    expect((await server.request('POST', `/api/v1/applications/${id}/materials`, { token, body })).status).to.equal(201);
    await submit(token, id);
    const clerk = await server.login('clerk.health');
    const transport = await server.login('clerk.transport');
    const taskOf = async (user: string) =>
      ((await server.request('GET', '/api/v1/tasks', { token: user })).body as any[]).find((t) => t.application?.id === id);
    const progress = async () => ({ task: await taskOf(clerk), status: (await view(token, id)).status as string });
    for (let round = 0; round < 4; round++) {
      const next = await eventually(progress, (p) => Boolean(p.task) || p.status === 'approved', 120_000);
      if (!next.task) break;
      expect(await taskOf(transport), 'a transport clerk never sees a health task').to.equal(undefined);
      expect((await server.request('POST', `/api/v1/tasks/${next.task.id}/claim`, { token: clerk })).status).to.equal(200);
      const decision = DECISION_BY_FORM[next.task.formId];
      expect(decision, `a task with form ${next.task.formId}`).to.be.a('string');
      const completed = await server.request('POST', `/api/v1/tasks/${next.task.id}/complete`, {
        token: clerk,
        json: { decision, comment: '现场核实无误' },
      });
      expect(completed.status, completed.text).to.equal(200);
      await eventually(progress, (p) => p.task?.id !== next.task.id, 120_000);
    }
    const done = await eventually(
      () => view(token, id),
      (v) => v.status === 'approved' && v.result !== null,
      120_000,
    );
    expect(done.timeline.map((e: any) => e.kind)).to.include('decision');
  });
});
