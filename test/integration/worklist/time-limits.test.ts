import { expect } from 'chai';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { DAY, Lifecycle, SCRIPTED_JOB_TYPES } from '../processes/lifecycle';

const HYGIENE = 'public-place-hygiene-permit';

/** 中止 and 延期 through the worklist API, on the repository's processes with the real deadline worker and the movable clock. */
describe('Worklist: suspension (中止) and extension (延期) of a case under review', function () {
  this.timeout(180_000);
  let server: TestServer;
  let lifecycle: Lifecycle;
  let clerk: string;
  let chief: string;

  before(async () => {
    server = await startTestServer({ disabledWorkers: SCRIPTED_JOB_TYPES });
    lifecycle = new Lifecycle(server);
    lifecycle.registerStubs();
  });
  // The clock moves by days here: sign in afresh for each case.
  beforeEach(async () => {
    clerk = await server.login('clerk.health');
    chief = await server.login('chief.health');
  });
  after(() => server?.close());

  const post = (token: string, path: string, json: unknown = {}) => server.request('POST', `/api/v1${path}`, { token, json });
  /** The open task of the application at that element, once the process has made it, as the worklist shows it. */
  const taskAt = async (applicationId: string, elementId: string, token = clerk) => {
    const row = await lifecycle.openTask(applicationId, elementId);
    const reply = await server.request('GET', `/api/v1/tasks/${row.key}`, { token });
    expect(reply.status, reply.text).to.equal(200);
    return reply.body;
  };
  const claimed = async (applicationId: string, elementId: string, token = clerk) => {
    const task = await taskAt(applicationId, elementId, token);
    expect((await post(token, `/tasks/${task.id}/claim`)).status).to.equal(200);
    return task;
  };
  const underReview = async () => {
    const { applicationId, key } = await lifecycle.submit(HYGIENE, 'apply');
    await lifecycle.accept(applicationId, 'clerk.health');
    return { applicationId, key, review: await claimed(applicationId, 'Task_ClerkReview') };
  };

  it('suspends with a reason, stops the clock, and on resumption opens the review again due later by the pause', async () => {
    const { applicationId, key, review } = await underReview();
    expect((await post(clerk, `/tasks/${review.id}/suspension`, {})).status, 'a reason is required').to.equal(400);
    const suspended = await post(clerk, `/tasks/${review.id}/suspension`, { reason: '等待现场卫生学评价' });
    expect(suspended.status, suspended.text).to.equal(202);
    await lifecycle.subscribed(applicationId, 'case-resumed');
    expect((await server.request('GET', `/api/v1/tasks/${review.id}`, { token: clerk })).body.state).to.equal('done');
    expect((await post(clerk, `/tasks/${review.id}/suspension`, { reason: '再次' })).status, 'the review task is gone').to.equal(409);

    // The department's suspended cases list it, since when and why, masked; another department's clerk never sees it.
    // The lifecycle's applications are inserted as submitted; the number submission gives is what the clerk searches by.
    await server.running.platform.db
      .knex('applications')
      .where({ id: applicationId })
      .update({ case_number: `SUSP-${applicationId}` });
    const suspendedCases = (token: string, q = '') => server.request('GET', `/api/v1/cases?suspended=true${q}`, { token });
    const listed = await suspendedCases(clerk);
    expect(listed.status, listed.text).to.equal(200);
    const entry = listed.body.find((c: any) => c.id === applicationId);
    expect(entry, 'the suspended case is listed').to.exist;
    expect(entry.suspension).to.deep.equal({ since: suspended.body.since, reason: '等待现场卫生学评价' });
    expect(entry.applicantName).to.contain('*');
    expect((await suspendedCases(clerk, `&q=${encodeURIComponent(entry.caseNumber)}`)).body.map((c: any) => c.id)).to.deep.equal([
      applicationId,
    ]);
    expect((await suspendedCases(clerk, '&q=NO-SUCH-CASE')).body).to.deep.equal([]);
    const transport = await suspendedCases(await server.login('clerk.transport'));
    expect(transport.status).to.equal(200);
    expect(transport.body.map((c: any) => c.id)).not.to.include(applicationId);
    expect((await server.request('GET', '/api/v1/cases', { token: clerk })).status, 'neither q nor suspended').to.equal(400);

    await lifecycle.advance(14 * DAY);
    clerk = await server.login('clerk.health');
    const resumed = await post(clerk, `/cases/${applicationId}/resumption`, { comment: '评价报告已收到' });
    expect(resumed.status, resumed.text).to.equal(202);
    expect(resumed.body.pauses.at(-1)).to.include({ kind: 'suspension', reason: '等待现场卫生学评价' });
    expect((await post(clerk, `/cases/${applicationId}/resumption`)).status, 'not suspended any more').to.equal(409);
    const after = await server.request('GET', '/api/v1/cases?suspended=true', { token: clerk });
    expect(
      after.body.map((c: any) => c.id),
      'resumed: no longer listed',
    ).not.to.include(applicationId);

    const again = await taskAt(applicationId, 'Task_ClerkReview');
    expect(again.id).not.to.equal(review.id);
    // 14 calendar days hold at least 9 working days: the new due date lies that much later.
    expect(new Date(again.dueDate).getTime() - new Date(review.dueDate).getTime()).to.be.at.least(9 * DAY);
    const messages = (await lifecycle.messages(applicationId)).concat(
      await server.running.platform.db.knex('application_events').where({ application_id: applicationId }).pluck('message'),
    );
    expect(messages).to.include.members(['中止办理：等待现场卫生学评价', '恢复办理：评价报告已收到']);
    const child = await lifecycle.clerkPath(key);
    expect((child.variables.pauses as any[]).map((p) => p.kind)).to.include('suspension');
  });

  it('asks the chief for days; the approved days move the due date, and no more than the law allows', async () => {
    const { applicationId, key, review } = await underReview();
    const tooMany = await post(clerk, `/tasks/${review.id}/extension`, { days: 11, reason: '需专家评审' });
    expect(tooMany.status).to.equal(400);
    expect(tooMany.body.error.message).to.contain('1至10');
    const asked = await post(clerk, `/tasks/${review.id}/extension`, { days: 4, reason: '需组织专家评审' });
    expect(asked.status, asked.text).to.equal(202);

    const decision = await claimed(applicationId, 'Task_ChiefExtension', chief);
    expect(decision).to.include({ name: '延期审批', formId: 'common-chief-extension' });
    expect(decision.candidateGroups).to.deep.equal(['health-chief']);
    const approved = await post(chief, `/tasks/${decision.id}/complete`, { decision: 'approve', comment: '同意延期' });
    expect(approved.status, approved.text).to.equal(200);

    const extended = await claimed(applicationId, 'Task_ClerkReview');
    const moved = new Date(extended.dueDate).getTime() - new Date(review.dueDate).getTime();
    // Four working days: at least 4 and at most 4 + a weekend and a holiday week's worth of calendar days.
    expect(moved)
      .to.be.at.least(4 * DAY)
      .and.at.most(12 * DAY);
    expect((await lifecycle.clerkPath(key)).variables.extensions).to.deep.equal([
      { days: 4, reason: '需组织专家评审', requestedBy: 'clerk.health', approvedBy: 'chief.health' },
    ]);
    const rest = await post(clerk, `/tasks/${extended.id}/extension`, { days: 7, reason: '再延' });
    expect(rest.status).to.equal(400);
    expect(rest.body.error.message).to.contain('1至6');

    const refusedAsk = await post(clerk, `/tasks/${extended.id}/extension`, { days: 2, reason: '补充评审' });
    expect(refusedAsk.status).to.equal(202);
    const second = await claimed(applicationId, 'Task_ChiefExtension', chief);
    expect((await post(chief, `/tasks/${second.id}/complete`, { decision: 'reject', comment: '不同意' })).status).to.equal(200);
    const unchanged = await eventually(
      () => taskAt(applicationId, 'Task_ClerkReview'),
      (t) => t.id !== extended.id,
    );
    expect(unchanged.dueDate, 'a refused extension changes nothing').to.equal(extended.dueDate);
  });

  it('refuses both where the matter allows neither (422), and anyone but the holder (409)', async () => {
    const { applicationId } = await lifecycle.submit('publication-licence-reissue', 'apply', { reviewPassed: false });
    await lifecycle.accept(applicationId, 'clerk.culture');
    const culture = await server.login('clerk.culture');
    const review = await claimed(applicationId, 'Task_ClerkReview', culture);
    expect((await post(culture, `/tasks/${review.id}/suspension`, { reason: '等待' })).status).to.equal(422);
    expect((await post(culture, `/tasks/${review.id}/extension`, { days: 1, reason: '等待' })).status).to.equal(422);
    const other = await underReview();
    expect((await post(chief, `/tasks/${other.review.id}/suspension`, { reason: '等待' })).status).to.equal(409);
    expect((await post(culture, `/tasks/${other.review.id}/suspension`, { reason: '等待' })).status, 'another department').to.equal(404);
  });

  it("the chief who asked for the extension as the review's holder cannot approve it: 409, nothing decided", async () => {
    const { applicationId } = await lifecycle.submit(HYGIENE, 'apply');
    await lifecycle.accept(applicationId, 'clerk.health');
    // chief.health is a clerk of health as well: they hold the review and ask for days.
    const review = await claimed(applicationId, 'Task_ClerkReview', chief);
    expect((await post(chief, `/tasks/${review.id}/extension`, { days: 2, reason: '需组织专家评审' })).status).to.equal(202);
    const decision = await claimed(applicationId, 'Task_ChiefExtension', chief);
    const own = await post(chief, `/tasks/${decision.id}/complete`, { decision: 'approve', comment: '同意延期' });
    expect(own.status).to.equal(409);
    expect(own.body.error.message).to.equal('延期由您本人申请，须由另一位负责人审批（承办与审批分离）');
    expect((await taskAt(applicationId, 'Task_ChiefExtension', chief)).state).to.equal('claimed');
  });
});
