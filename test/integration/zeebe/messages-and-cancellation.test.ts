import { expect } from 'chai';
import { pausesOf } from '../../../server/applications/pauses';
import { HYGIENE, submitFlawedChange } from '../../support/clerk-cases';
import { eventually } from '../../support/engine';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';
import { startTestServer, type TestServer } from '../../support/server';
import { Broker } from './support/broker';
import type { FakeInstance } from './support/cluster-state';
import { FakeCluster } from './support/fake-cluster';

const MAIN = `${HYGIENE}-change`;
const STAFF_CHANGE = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';

/**
 * Feature: withdrawal, corrections and the second party's confirmation on ENGINE=zeebe, through the real processes.
 * The cluster answers as a broker would along the path each case takes (the real workers answer every job); the test
 * asserts the exact gateway calls the platform makes when the applicant or the employee acts: CancelProcessInstance
 * with the instance key, PublishMessage with its name, correlation key, variables, time to live and id, and that the
 * message correlates to the receive task the process waits at, after which the process goes on.
 */
describe('Zeebe: withdrawal, corrections and confirmation through the processes, as gateway calls', function () {
  this.timeout(120_000);
  let cluster: FakeCluster;
  let server: TestServer;
  let broker: Broker;

  before(async () => {
    cluster = await FakeCluster.start();
    server = await startTestServer({ engine: 'zeebe', zeebe: cluster.settings() });
    broker = new Broker(cluster);
  });
  after(async () => {
    await server?.close();
    await cluster?.stop();
  });

  const knex = () => server.running.platform.db.knex;
  const status = async (id: string) => (await knex()('applications').where({ id }).first('status')).status;
  const completed = async (instance: FakeInstance, elementId: string) => {
    const answer = await broker.job(instance, elementId);
    expect(answer.method, `${elementId}: ${answer.request.errorMessage ?? ''}`).to.equal('CompleteJob');
    return answer.variables;
  };
  const published = (name: string, correlationKey: string) =>
    cluster.gateway.requests('PublishMessage').filter((r) => r.name === name && r.correlationKey === correlationKey);

  it('withdrawal: cancels the application’s instance by its key, once, and the case is withdrawn', async () => {
    const token = await server.login('enterprise1');
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    const id = created.body.id;
    await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form: HYGIENE_CHANGE_FORM } });
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `w-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    const main = await cluster.state.instanceOf(MAIN, id);
    await completed(main, 'Task_StatusReviewing');
    const before = cluster.gateway.requests('CancelProcessInstance').length;

    const withdrawn = await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token });
    expect(withdrawn.status, withdrawn.text).to.equal(200);
    expect(cluster.gateway.requests('CancelProcessInstance').slice(before)).to.deep.equal([{ processInstanceKey: main.key }]);
    expect(main.state).to.equal('TERMINATED');
    expect(await status(id)).to.equal('withdrawn');

    const again = await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token });
    expect(again.status, again.text).to.equal(200);
    expect(cluster.gateway.requests('CancelProcessInstance'), 'withdrawing twice cancels once').to.have.length(before + 1);
  });

  it('corrections: a returned case waits for corrections-submitted; the applicant’s corrections publish it and the case is reviewed again', async () => {
    const enterprise = await server.login('enterprise1');
    const id = await submitFlawedChange(server, enterprise);
    const main = await cluster.state.instanceOf(MAIN, id);
    await completed(main, 'Task_StatusReviewing');
    await completed(main, 'Task_Prefill');
    const shared = await broker.call(main, 'Call_ReviewDecideIssue');
    await completed(shared, 'Task_Ocr');
    const { review } = (await completed(shared, 'Task_Review')) as { review: { passed: boolean } };
    expect(review.passed, 'the ID card names someone else').to.equal(false);
    await completed(shared, 'Task_AiReview');
    expect(await broker.takes(shared, 'Flow_AutoApproved'), 'no automatic approval').to.equal(false);
    const clerk = await broker.call(shared, 'Call_ClerkPath');
    await completed(clerk, 'Task_StatusManualReview');
    // The clerk's acceptance and review tasks (the worklist's, tested in worklist.test.ts) ended with a return.
    Object.assign(clerk.variables, { decision: 'return', comment: '身份证与法定代表人不一致，请补正' });
    await broker.end(clerk, 'EndEvent_ClerkReturned', { parent: shared, elementId: 'Call_ClerkPath' });
    expect(await broker.takes(shared, 'Flow_ClerkReturned')).to.equal(true);
    await completed(shared, 'Task_StatusReturned');
    await completed(shared, 'Task_NotifyReturned');
    expect(await status(id)).to.equal('returned');
    await broker.waitAt(shared, 'Task_WaitCorrections');

    const corrected = await server.request('POST', `/api/v1/applications/${id}/corrections`, {
      token: enterprise,
      json: { form: { contactPhone: '13912345670' } },
    });
    expect(corrected.status, corrected.text).to.equal(202);
    const [message] = published('corrections-submitted', id);
    expect(message).to.deep.equal({
      name: 'corrections-submitted',
      correlationKey: id,
      timeToLive: '3600000',
      messageId: `corrections-${id}-1`,
      variables: message.variables,
      tenantId: '<default>',
    });
    expect(JSON.parse(message.variables)).to.deep.equal({
      correctionsRound: 1,
      pauses: JSON.parse(JSON.stringify(await pausesOf(knex(), id, server.clock.now()))),
    });
    await broker.correlate(shared, 'Task_WaitCorrections', message);
    expect(shared.variables.correctionsRound).to.equal(1);

    await completed(shared, 'Task_StatusReviewingAgain');
    expect(await status(id)).to.equal('reviewing');
    const ocrAgain = await completed(shared, 'Task_Ocr');
    expect(ocrAgain).to.have.property('ocr');
    const reviewedAgain = (await completed(shared, 'Task_Review')) as { review: { passed: boolean; findings: unknown[] } };
    expect(reviewedAgain.review.findings, 'the corrected case is reviewed again').to.be.an('array');
    expect(published('corrections-submitted', id)).to.have.length(1);
  });

  it('confirmation: the employee’s answer publishes second-party-confirmed to the waiting staff change, which goes on to review', async () => {
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
    const main = await cluster.state.instanceOf(`${STAFF_CHANGE}-apply`, id);
    await completed(main, 'Task_StatusReviewing');
    await completed(main, 'Task_Prefill');
    await completed(main, 'Task_StatusAwaitingConfirmation');
    await completed(main, 'Task_NotifyConfirmationRequested');
    expect(await status(id)).to.equal('awaiting_confirmation');
    await broker.waitAt(main, 'Task_WaitConfirmation');

    const employee = await server.login('applicant1');
    const asked = await eventually(
      async () =>
        ((await server.request('GET', '/api/v1/confirmations', { token: employee })).body as any[]).find((c) => c.applicationId === id),
      (c) => Boolean(c),
    );
    const answered = await server.request('POST', `/api/v1/confirmations/${asked.token}`, { token: employee, json: { accept: true } });
    expect(answered.status, answered.text).to.equal(200);
    const [message] = published('second-party-confirmed', id);
    expect(message).to.deep.equal({
      name: 'second-party-confirmed',
      correlationKey: id,
      timeToLive: '86400000',
      messageId: `confirmation-${asked.token}`,
      variables: message.variables,
      tenantId: '<default>',
    });
    expect(JSON.parse(message.variables)).to.deep.equal({
      accepted: true,
      pauses: JSON.parse(JSON.stringify(await pausesOf(knex(), id, server.clock.now()))),
    });
    await broker.correlate(main, 'Task_WaitConfirmation', message);
    expect(await broker.takes(main, 'Flow_Accepted')).to.equal(true);
    await completed(main, 'Task_StatusReviewingConfirmed');
    expect(await status(id)).to.equal('reviewing');
    const shared = await broker.call(main, 'Call_ReviewDecideIssue');
    expect(shared.variables).to.include({ applicationId: id, department: 'transport' });
    expect(await completed(shared, 'Task_Ocr')).to.have.property('ocr');
  });
});
