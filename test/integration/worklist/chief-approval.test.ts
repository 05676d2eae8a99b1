import { expect } from 'chai';
import { eventually } from '../../support/engine';
import { decide, openTaskOf, submitFlawedChange } from '../../support/clerk-cases';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Feature: the two-level approval of a hygiene-permit rejection through `/tasks/{id}/complete`: the clerk proposes,
 * someone else of the `health-chief` group decides; a transfer (转办) never changes what kind of task it is.
 */
describe('Two-level approval: the chief decides on a proposed rejection, never the one who proposed it', function () {
  this.timeout(240_000);
  let server: TestServer;
  let enterprise: string;
  let clerk: string;
  let chief: string;
  const knex = () => server.running.platform.db.knex;
  const view = async (id: string) => (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise })).body;

  before(async () => {
    server = await startTestServer();
    enterprise = await server.login('enterprise1');
    clerk = await server.login('clerk.health');
    chief = await server.login('chief.health');
  });
  after(() => server?.close());

  /** A flawed case accepted by the clerk: its review open for the health clerks. */
  const underReview = async () => {
    const id = await submitFlawedChange(server, enterprise);
    const acceptance = await openTaskOf(server, clerk, id, 'common-clerk-acceptance');
    const accepted = await decide(server, clerk, acceptance.id, { decision: 'accept', comment: '材料齐全，予以受理' });
    expect(accepted.status, accepted.text).to.equal(200);
    return { id, review: await openTaskOf(server, clerk, id, 'common-clerk-review') };
  };

  it('the clerk proposes a rejection, the chief agrees through the API: rejected, with the signed 不予许可决定书', async () => {
    const { id, review } = await underReview();
    const proposed = await decide(server, clerk, review.id, { decision: 'reject', comment: '法定代表人身份证明与登记信息不符' });
    expect(proposed.status, proposed.text).to.equal(200);
    expect(
      (await server.request('GET', `/api/v1/tasks?limit=500`, { token: clerk })).body.map((t: any) => t.application?.id),
    ).not.to.include(id);
    const approval = await openTaskOf(server, chief, id, 'common-chief-approval');
    expect(approval).to.include({ name: '不予许可审批', elementId: 'Task_ChiefApproval', state: 'open' });
    expect(approval.candidateGroups).to.deep.equal(['health-chief']);
    expect((await view(id)).status).to.equal('manual_review');

    const agreed = await decide(server, chief, approval.id, { decision: 'approve', comment: '同意不予许可' });
    expect(agreed.status, agreed.text).to.equal(200);
    const rejected = await eventually(
      () => view(id),
      (v) => v.status === 'rejected',
      30_000,
    );
    const letter = await eventually(
      () => knex()('documents').where({ application_id: id, kind: 'decision' }).first('signer', 'sha256'),
      (row) => Boolean(row),
      30_000,
    );
    expect(letter.signer).to.be.a('string').and.not.be.empty;
    const messages = rejected.timeline.map((e: any) => e.message);
    expect(messages).to.include.members(['窗口审查：拟不予许可（法定代表人身份证明与登记信息不符）', '审批：同意不予许可（同意不予许可）']);
  });

  it('the chief disagrees: the case goes back to the clerks for a new review', async () => {
    const { id, review } = await underReview();
    expect((await decide(server, clerk, review.id, { decision: 'reject', comment: '材料存疑' })).status).to.equal(200);
    const approval = await openTaskOf(server, chief, id, 'common-chief-approval');
    const sentBack = await decide(server, chief, approval.id, { decision: 'reject', comment: '请核对后重审' });
    expect(sentBack.status, sentBack.text).to.equal(200);
    const again = await openTaskOf(server, clerk, id, 'common-clerk-review');
    expect(again.id).not.to.equal(review.id);
    expect(again).to.include({ state: 'open', assignee: null });
    expect(again.candidateGroups).to.deep.equal(['health']);
    expect((await view(id)).status).to.equal('manual_review');
    await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: enterprise });
  });

  it('chief.health, clerk and chief both, cannot approve the rejection they proposed themselves: 409, nothing decided', async () => {
    const { id, review } = await underReview();
    expect((await decide(server, chief, review.id, { decision: 'reject', comment: '材料存疑' })).status).to.equal(200);
    const approval = await openTaskOf(server, chief, id, 'common-chief-approval');
    const own = await decide(server, chief, approval.id, { decision: 'approve', comment: '同意' });
    expect(own.status).to.equal(409);
    expect(own.body.error.message).to.contain('须由另一位负责人审批');
    const still = await server.request('GET', `/api/v1/tasks/${approval.id}`, { token: chief });
    expect(still.body).to.include({ state: 'claimed', assignee: 'chief.health' });
    expect((await view(id)).status).to.equal('manual_review');
    expect((await view(id)).timeline.map((e: any) => e.message)).not.to.include('审批：同意不予许可（同意）');
    await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: enterprise });
  });

  it("a transfer keeps the task's kind: a review never goes to the chief's group, a chief's approval never to a clerk", async () => {
    const { id, review } = await underReview();
    // A review moved to health-chief would have become the chief's approval (its "approve" then grants the licence).
    const reviewToChiefs = await server.request('POST', `/api/v1/tasks/${review.id}/transfer`, {
      token: clerk,
      json: { group: 'health-chief' },
    });
    expect(reviewToChiefs.status).to.equal(400);
    expect(reviewToChiefs.body.error.message).to.contain('窗口审查只能转给本部门的岗位：health');
    const unchanged = await server.request('GET', `/api/v1/tasks/${review.id}`, { token: clerk });
    expect(unchanged.body.candidateGroups).to.deep.equal(['health']);
    // chief.health is also a clerk: a review may go to them by name, and stays a review (return is still offered).
    expect(
      (await server.request('POST', `/api/v1/tasks/${review.id}/transfer`, { token: clerk, json: { user: 'chief.health' } })).status,
    ).to.equal(200);
    const badReturn = await server.request('POST', `/api/v1/tasks/${review.id}/complete`, { token: chief, json: { decision: 'return' } });
    expect(badReturn.body.error.message, 'return of a review asks for its corrections').to.contain('补正');
    expect(
      (await server.request('POST', `/api/v1/tasks/${review.id}/complete`, { token: chief, json: { decision: 'reject', comment: '不符' } }))
        .status,
    ).to.equal(200);

    // The chief's approval moved to the clerks' group, or handed to a clerk, would let any clerk decide it alone.
    const approval = await openTaskOf(server, chief, id, 'common-chief-approval');
    const toClerks = await server.request('POST', `/api/v1/tasks/${approval.id}/transfer`, { token: chief, json: { group: 'health' } });
    expect(toClerks.status).to.equal(400);
    expect(toClerks.body.error.message).to.contain('不予许可审批只能转给本部门的岗位：health-chief');
    const toClerk = await server.request('POST', `/api/v1/tasks/${approval.id}/transfer`, { token: chief, json: { user: 'clerk.health' } });
    expect(toClerk.status).to.equal(400);
    expect(toClerk.body.error.message).to.contain('须转给本部门负责人');
    const after = await server.request('GET', `/api/v1/tasks/${approval.id}`, { token: chief });
    expect(after.body).to.include({ formId: 'common-chief-approval', assignee: null });
    expect(after.body.candidateGroups).to.deep.equal(['health-chief']);
    expect((await server.request('GET', `/api/v1/tasks/${approval.id}`, { token: clerk })).status, 'not a task of the clerks').to.equal(
      404,
    );
    await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: enterprise });
  });
});
