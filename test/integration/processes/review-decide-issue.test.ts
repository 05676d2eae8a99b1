import { expect } from 'chai';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { DAY, Lifecycle, SCRIPTED_JOB_TYPES } from './lifecycle';

const HYGIENE = 'public-place-hygiene-permit';

describe('common-review-decide-issue: the clerk, the chief, corrections', () => {
  let server: TestServer;
  let lifecycle: Lifecycle;

  before(async () => {
    server = await startTestServer({ disabledWorkers: SCRIPTED_JOB_TYPES });
    lifecycle = new Lifecycle(server);
    lifecycle.registerStubs();
  });
  after(() => server?.close());

  const decided = async (key: string, outcome: string) => {
    const done = await lifecycle.finished(key);
    expect(done.state, JSON.stringify(done.incidents)).to.equal('completed');
    expect(done.variables.outcome).to.equal(outcome);
  };

  it('puts a new hygiene permit before the health clerks for acceptance within 5 working days, then review with the promised due date, reminds them at 80%, and approves on their decision', async () => {
    const { applicationId, key } = await lifecycle.submit(HYGIENE, 'apply');
    const acceptance = await lifecycle.openTask(applicationId, 'Task_ClerkAcceptance');
    expect(acceptance).to.include({ name: '受理审查', form_key: 'common-clerk-acceptance' });
    expect(acceptance.candidate_groups).to.deep.equal(['health']);
    const acceptanceLimit = (await lifecycle.clerkPath(key)).variables.dueDate as string;
    expect(new Date(acceptance.due_date).toISOString()).to.equal(acceptanceLimit);
    expect(await lifecycle.status(applicationId)).to.equal('manual_review');
    await lifecycle.accept(applicationId, 'clerk.health');
    const task = await lifecycle.openTask(applicationId, 'Task_ClerkReview');
    expect(task).to.include({ name: '窗口审查', form_key: 'common-clerk-review', bpmn_process_id: 'common-clerk-path' });
    expect(task.candidate_groups).to.deep.equal(['health']);
    const child = await lifecycle.clerkPath(key);
    expect(child.variables.dueDate, 'the deadline worker ran').to.be.a('string');
    expect(new Date(String(child.variables.dueDate)).getTime(), 'the promised limit (20 days) ends after the 5 days to accept').to.be.greaterThan(
      new Date(acceptanceLimit).getTime(),
    );
    expect(new Date(task.due_date).toISOString()).to.equal(child.variables.dueDate);
    expect(await lifecycle.status(applicationId)).to.equal('manual_review');

    await lifecycle.advance(new Date(String(child.variables.warnAt)).getTime() - server.clock.now().getTime() + 1000);
    await eventually(
      () => lifecycle.notifications(applicationId),
      (sent) => sent.includes('review-due-soon'),
    );
    const still = await server.running.platform.db.knex('tasks').where({ key: task.key }).first('state');
    expect(still.state, 'the reminder does not take the task away').to.equal('created');

    await lifecycle.completeTask(applicationId, 'Task_ClerkReview', { decision: 'approve', comment: '材料齐全，符合条件' }, 'clerk.health');
    await decided(key, 'approved');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'manual_review', 'approved']);
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['accepted', 'review-due-soon', 'approved']);
    expect(await lifecycle.jobTypes(applicationId)).to.include.members(['deadline', 'esign', 'license-publish', 'archive']);
    const esign = (await lifecycle.jobs(applicationId)).filter((j) => j.type === 'esign');
    expect(esign.map((j) => j.headers.document ?? 'decision')).to.deep.equal(['acceptance-notice', 'decision']);
  });

  it('asks the chief before a rejection; the chief sends it back once, and agrees to the second rejection', async () => {
    const { applicationId, key } = await lifecycle.submit(HYGIENE, 'apply');
    await lifecycle.accept(applicationId, 'clerk.health');
    const first = await lifecycle.completeTask(
      applicationId,
      'Task_ClerkReview',
      { decision: 'reject', comment: '检测报告不合格' },
      'clerk.health',
    );
    const chief = await lifecycle.openTask(applicationId, 'Task_ChiefApproval');
    expect(chief).to.include({ name: '不予许可审批', form_key: 'common-chief-approval' });
    expect(chief.candidate_groups).to.deep.equal(['health-chief']);
    expect(new Date(chief.due_date).toISOString()).to.equal(new Date(first.due_date).toISOString());
    await lifecycle.completeTask(applicationId, 'Task_ChiefApproval', { decision: 'reject', comment: '请核对检测日期' }, 'chief.health');

    const again = await lifecycle.openTask(applicationId, 'Task_ClerkReview');
    expect(String(again.key)).not.to.equal(String(first.key));
    expect(await lifecycle.status(applicationId)).to.equal('manual_review');
    await lifecycle.completeTask(applicationId, 'Task_ClerkReview', { decision: 'reject', comment: '检测报告已过期' }, 'clerk.health');
    await lifecycle.completeTask(applicationId, 'Task_ChiefApproval', { decision: 'approve', comment: '同意' }, 'chief.health');

    await decided(key, 'rejected');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'manual_review', 'rejected']);
    const jobs = await lifecycle.jobs(applicationId);
    expect(jobs.map((j) => j.elementId)).to.include('Task_EsignRejection');
    expect(jobs.map((j) => j.type)).not.to.include('license-publish');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['accepted', 'rejected']);
    const child = await lifecycle.child(key);
    expect(child.variables).to.include({ chiefDecision: 'approve', decision: 'reject' });
  });

  it('returns for corrections, pauses on the message, and reviews the corrected application again', async () => {
    const { applicationId, key } = await lifecycle.submit(HYGIENE, 'apply');
    const corrections = [{ item: 'HP-05', requirement: '请上传一年内的检测报告' }];
    await lifecycle.accept(applicationId, 'clerk.health');
    await lifecycle.completeTask(
      applicationId,
      'Task_ClerkReview',
      { decision: 'return', comment: '材料不齐', corrections },
      'clerk.health',
    );
    await lifecycle.subscribed(applicationId, 'corrections-submitted');
    expect(await lifecycle.status(applicationId)).to.equal('returned');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['accepted', 'returned']);

    const published = await server.running.platform.engine.publishMessage({ name: 'corrections-submitted', correlationKey: applicationId });
    expect(published.correlatedInstanceKeys).to.have.length(1);
    await lifecycle.completeTask(applicationId, 'Task_ClerkReview', { decision: 'approve', comment: '补正后符合条件' }, 'clerk.health');

    await decided(key, 'approved');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal([
      'reviewing',
      'manual_review',
      'returned',
      'reviewing',
      'manual_review',
      'approved',
    ]);
    const types = await lifecycle.jobTypes(applicationId);
    expect(
      types.filter((t) => t === 'ocr'),
      'the corrected materials are read again',
    ).to.have.length(2);
    expect(types.filter((t) => t === 'review')).to.have.length(2);
    expect((await lifecycle.child(key)).variables.corrections).to.deep.equal(corrections);
    const elements = (await lifecycle.jobs(applicationId)).map((j) => j.elementId);
    expect(elements.filter((e) => e === 'Task_DeadlineAcceptance'), 'an accepted case is not accepted twice').to.have.length(1);
  });

  it('closes an application whose corrections do not come within 15 days', async () => {
    const { applicationId, key } = await lifecycle.submit(HYGIENE, 'apply');
    await lifecycle.completeTask(applicationId, 'Task_ClerkAcceptance', { decision: 'return', comment: '材料不齐' }, 'clerk.health');
    await lifecycle.subscribed(applicationId, 'corrections-submitted');
    await lifecycle.advance(14 * DAY);
    expect(await lifecycle.status(applicationId), 'day 14: still waiting').to.equal('returned');

    await lifecycle.advance(DAY + 60_000);
    await decided(key, 'closed');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'manual_review', 'returned', 'closed']);
    expect((await lifecycle.messages(applicationId)).at(-1)).to.contain('逾期未补正');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['returned', 'closed']);
    const types = await lifecycle.jobTypes(applicationId);
    expect(types).to.include('archive');
    expect(types).not.to.include('esign');
    const late = await server.running.platform.engine.publishMessage({ name: 'corrections-submitted', correlationKey: applicationId });
    expect(late.correlatedInstanceKeys, 'nothing waits any more').to.deep.equal([]);
  });

  it('refuses to accept (不予受理): closed with the refusal letter signed, the applicant told, the case archived; nothing reviewed', async () => {
    const { applicationId, key } = await lifecycle.submit(HYGIENE, 'apply');
    await lifecycle.completeTask(
      applicationId,
      'Task_ClerkAcceptance',
      { decision: 'refuse', comment: '申请事项不属于本机关职权范围' },
      'clerk.health',
    );
    await decided(key, 'refused');
    expect(await lifecycle.timeline(applicationId)).to.deep.equal(['reviewing', 'manual_review', 'closed']);
    expect((await lifecycle.messages(applicationId)).at(-1)).to.contain('不予受理');
    expect(await lifecycle.notifications(applicationId)).to.deep.equal(['refused']);
    const jobs = await lifecycle.jobs(applicationId);
    expect(jobs.filter((j) => j.type === 'esign').map((j) => j.headers.document)).to.deep.equal(['refusal-notice']);
    expect(jobs.map((j) => j.type)).to.include('archive');
    expect(jobs.map((j) => j.elementId)).not.to.include('Task_Deadline');
  });
});
