import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';
import { DAY, Lifecycle, SCRIPTED_JOB_TYPES } from './lifecycle';

const STAFF_CHANGE = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';

describe('dangerous-goods-staff-employer-change-apply: the employee confirms within 3 days', function () {
  this.timeout(60_000);
  let server: TestServer;
  let lifecycle: Lifecycle;

  before(async () => {
    server = await startTestServer({ disabledWorkers: SCRIPTED_JOB_TYPES });
    lifecycle = new Lifecycle(server);
    lifecycle.registerStubs();
  });
  after(() => server?.close());

  /** Submitted, and waiting for the employee's answer. */
  async function awaitingConfirmation() {
    const submitted = await lifecycle.submit(STAFF_CHANGE, 'apply', {}, 'enterprise2');
    await lifecycle.subscribed(submitted.applicationId, 'second-party-confirmed');
    expect(await lifecycle.status(submitted.applicationId)).to.equal('awaiting_confirmation');
    expect(await lifecycle.notifications(submitted.applicationId)).to.deep.equal(['confirmation-requested']);
    return submitted;
  }

  const confirm = (applicationId: string, accepted: boolean) =>
    server.running.platform.engine.publishMessage({
      name: 'second-party-confirmed',
      correlationKey: applicationId,
      variables: { accepted },
    });

  it('reviews and approves automatically once the employee accepts, for the transport department', async () => {
    const { applicationId, key } = await awaitingConfirmation();
    expect((await confirm(applicationId, true)).correlatedInstanceKeys).to.deep.equal([key]);
    const done = await lifecycle.finished(key);
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(done.variables).to.include({ accepted: true, outcome: 'approved' });
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'awaiting_confirmation', 'reviewing', 'approved']);
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['confirmation-requested', 'approved']);
    expect(await lifecycle.jobTypes(applicationId)).to.include.members(['ocr', 'review', 'esign', 'license-publish', 'archive']);
    expect((await lifecycle.child(key)).variables).to.include({ department: 'transport', autoApproval: true, rejectNeedsChief: false });
  });

  it('closes the application without a review when the employee declines', async () => {
    const { applicationId, key } = await awaitingConfirmation();
    await confirm(applicationId, false);
    const done = await lifecycle.finished(key);
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'awaiting_confirmation', 'closed']);
    expect((await lifecycle.messages(applicationId)).at(-1)).to.contain('从业人员不同意变更');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['confirmation-requested', 'closed']);
    const types = await lifecycle.jobTypes(applicationId);
    expect(types).to.include('archive');
    expect(types).not.to.include('ocr');
  });

  /** A change of employer made through the API by enterprise3 for applicant1, submitted: the employee is asked to confirm. */
  async function submittedThroughApi() {
    const employer = await server.login('enterprise3');
    const created = await server.request('POST', '/api/v1/applications', {
      token: employer,
      json: { matter: STAFF_CHANGE, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id as string;
    const form = { staffIdNumber: EMPLOYEE_ID, employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' };
    expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token: employer, json: { form } })).status).to.equal(200);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token: employer,
      headers: { 'idempotency-key': `confirm-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    await lifecycle.subscribed(id, 'second-party-confirmed');
    const employee = await server.login('applicant1');
    const listed = (await server.request('GET', '/api/v1/confirmations', { token: employee })).body.find(
      (c: any) => c.applicationId === id,
    );
    expect(listed, 'the employee is asked').to.exist;
    return { id, employer, employee, token: listed.token as string, expiresAt: listed.expiresAt as string };
  }

  const knex = () => server.running.platform.db.knex;
  const view = async (id: string, token: string) => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body;

  it('closes the application when the employee has not answered after 3 days, and not before; a late answer is refused and changes nothing', async () => {
    const { id, token, expiresAt } = await submittedThroughApi();
    const root = await knex()('applications').where({ id }).first('process_instance_key');
    const timer = await knex()('timers').where({ instance_key: root.process_instance_key, state: 'armed' }).first('due_at');
    // The confirmation's deadline is the timer's, and the notice states it in Beijing time.
    expect(new Date(timer.due_at).toISOString()).to.equal(expiresAt);
    const due = new Date(expiresAt);
    const beijing = new Date(due.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const notices = await knex()('notifications').where({ application_id: id, template: 'confirmation-requested' }).pluck('text');
    expect(notices.length).to.be.greaterThan(0);
    for (const text of notices) expect(text).to.include(`确认截止时间${beijing}（北京时间）`);
    const left = due.getTime() - server.clock.now().getTime();
    expect(left).to.be.within(3 * DAY, 3 * DAY + 60_000);

    await lifecycle.advance(left - 60_000);
    expect(await lifecycle.status(id)).to.equal('awaiting_confirmation');
    await lifecycle.advance(60_000);
    const done = await lifecycle.finished(String(root.process_instance_key));
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(await lifecycle.timeline(id)).to.deep.equal(['submitted', 'reviewing', 'awaiting_confirmation', 'closed']);
    expect((await lifecycle.messages(id)).at(-1)).to.contain('从业人员逾期未确认');

    // Three days on: both sign in again.
    const employer = await server.login('enterprise3');
    const employee = await server.login('applicant1');
    const before = await view(id, employer);
    const late = await server.request('POST', `/api/v1/confirmations/${token}`, { token: employee, json: { accept: true } });
    expect(late.status, late.text).to.equal(409);
    expect(late.body.error.message).to.include('确认期限').and.include('已过，申请已终止');
    const after = await view(id, employer);
    expect(after.status).to.equal('closed');
    expect(after.timeline).to.deep.equal(before.timeline);
    expect((await knex()('confirmations').where({ token }).first('status')).status).to.equal('pending');
    const listed = (await server.request('GET', '/api/v1/confirmations', { token: employee })).body;
    expect(listed.map((c: any) => c.applicationId)).not.to.include(id);
  });

  it('cancels the confirmation when the employer withdraws: no longer asked, and an answer is refused (409) and changes nothing', async () => {
    const { id, employer, employee, token } = await submittedThroughApi();
    const withdrawn = await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: employer });
    expect(withdrawn.status, withdrawn.text).to.equal(200);
    expect((await knex()('confirmations').where({ token }).first('status')).status).to.equal('cancelled');
    const listed = (await server.request('GET', '/api/v1/confirmations', { token: employee })).body;
    expect(listed.map((c: any) => c.applicationId)).not.to.include(id);
    const before = await view(id, employer);
    for (const accept of [true, false]) {
      const answer = await server.request('POST', `/api/v1/confirmations/${token}`, { token: employee, json: { accept } });
      expect(answer.status, answer.text).to.equal(409);
      expect(answer.body.error.message).to.equal('申请人已撤回这件申请，无需再确认');
    }
    const after = await view(id, employer);
    expect(after.status).to.equal('withdrawn');
    expect(after.timeline).to.deep.equal(before.timeline);
    expect((await knex()('message_subscriptions').where({ correlation_key: id, state: 'open' })).length).to.equal(0);
  });

  it('refuses an answer once the case is decided, and does not publish it again', async () => {
    const { id, employer, employee, token } = await submittedThroughApi();
    const accepted = await server.request('POST', `/api/v1/confirmations/${token}`, { token: employee, json: { accept: true } });
    expect(accepted.status, accepted.text).to.equal(200);
    const root = await knex()('applications').where({ id }).first('process_instance_key');
    expect((await lifecycle.finished(String(root.process_instance_key))).state).to.equal('completed');
    expect(await lifecycle.status(id)).to.equal('approved');
    const before = await view(id, employer);
    const declined = await server.request('POST', `/api/v1/confirmations/${token}`, { token: employee, json: { accept: false } });
    expect(declined.status).to.equal(409);
    const again = await server.request('POST', `/api/v1/confirmations/${token}`, { token: employee, json: { accept: true } });
    expect(again.status, 'the same answer again is the same answer').to.equal(200);
    expect((await view(id, employer)).timeline).to.deep.equal(before.timeline);
  });
});
