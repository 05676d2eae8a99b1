import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';
import { Broker } from './support/broker';
import type { FakeUserTask } from './support/cluster-state';
import { FakeCluster } from './support/fake-cluster';
import { raisePriorityOnNotice } from '../../../server/worklist/priorities';

const SHARED = 'common-clerk-path';
const MATTER_OF: Record<string, [matter: string, action: string]> = {
  health: ['public-place-hygiene-permit', 'change'],
  transport: ['dangerous-goods-staff-employer-change', 'apply'],
};

/**
 * Feature: the worklist on ENGINE=zeebe. The same API and casbin rules; the tasks are Camunda user tasks, read,
 * assigned and completed through the Orchestration Cluster REST API (a loopback one here, recording every request).
 */
describe('Zeebe: the worklist through Camunda user tasks, behind the same API and rules', function () {
  this.timeout(60_000);
  let cluster: FakeCluster;
  let server: TestServer;
  let broker: Broker;
  let count = 0;
  const tokens: Record<string, string> = {};

  before(async () => {
    cluster = await FakeCluster.start();
    server = await startTestServer({ engine: 'zeebe', zeebe: cluster.settings() });
    broker = new Broker(cluster);
    for (const user of ['clerk.health', 'clerk.transport', 'chief.health', 'admin']) tokens[user] = await server.login(user);
  });
  after(async () => {
    await server?.close();
    await cluster?.stop();
  });

  /** An application of the department under review, its shared process waiting at the user task, as Zeebe made it. */
  async function waitingAt(
    department: string,
    elementId = 'Task_ClerkReview',
    sandbox = false,
  ): Promise<{ task: FakeUserTask; applicationId: string }> {
    const [matter, action] = MATTER_OF[department];
    const applicationId = `ZW-${department}-${++count}`;
    const now = new Date();
    await server.running.platform.db.knex('applications').insert({
      id: applicationId,
      matter_slug: matter,
      action,
      department,
      applicant_id: 'enterprise1',
      status: 'manual_review',
      resume_code: `RC-${applicationId}`,
      case_number: `CASE-${count}`,
      created_at: now,
      updated_at: now,
      submitted_at: now,
    });
    const instance = cluster.state.startInstance(cluster.state.latest('bpmn', SHARED)!, {
      applicationId,
      matterSlug: matter,
      action,
      applicantId: 'enterprise1',
      sandbox,
      department,
      dueDate: new Date(now.getTime() + 20 * 86_400_000).toISOString(),
      warnAt: new Date(now.getTime() + 17 * 86_400_000).toISOString(),
    });
    return { task: await broker.userTask(instance, elementId), applicationId };
  }

  const call = (user: string, method: string, url: string, json?: unknown) => server.request(method, url, { token: tokens[user], json });
  const lastRest = (method: string, pattern: RegExp) => cluster.rest.requests(method, pattern).at(-1);
  const ids = (reply: { body: { id: string }[] }) => reply.body.map((t) => t.id).sort();

  let health: { task: FakeUserTask; applicationId: string };
  let transport: { task: FakeUserTask; applicationId: string };
  let chiefTask: FakeUserTask;
  let sandboxTask: FakeUserTask;

  before(async () => {
    health = await waitingAt('health');
    transport = await waitingAt('transport');
    chiefTask = (await waitingAt('health', 'Task_ChiefApproval')).task;
    sandboxTask = (await waitingAt('health', 'Task_ClerkReview', true)).task;
  });

  it("a health clerk sees the health review, not transport's, not the chief's, not a designer's sandbox; the search says so", async () => {
    const list = await call('clerk.health', 'GET', '/api/v1/tasks');
    expect(list.status, list.text).to.equal(200);
    expect(ids(list)).to.deep.equal([health.task.userTaskKey]);
    expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body).to.deep.equal({
      filter: { state: 'CREATED', processInstanceVariables: [{ name: 'sandbox', value: 'false' }], candidateGroup: { $in: ['health'] } },
      sort: [
        { field: 'dueDate', order: 'ASC' },
        { field: 'creationDate', order: 'ASC' },
      ],
      page: { limit: 50 },
    });
    expect(lastRest('POST', /^\/v2\/variables\/search$/)!.body).to.deep.equal({
      filter: { processInstanceKey: { $in: [health.task.processInstanceKey] }, name: { $in: ['applicationId', 'sandbox', 'warnAt'] } },
      page: { from: 0, limit: 3 },
    });
    const [task] = list.body;
    expect(task).to.include({
      name: '窗口审查',
      elementId: 'Task_ClerkReview',
      state: 'open',
      assignee: null,
      formId: 'common-clerk-review',
      overdue: false,
    });
    expect(task.candidateGroups).to.deep.equal(['health']);
    expect(task.dueDate).to.equal(new Date(health.task.dueDate!).toISOString());
    expect(task.warnAt).to.be.a('string');
    expect(task.application).to.include({ id: health.applicationId, matter: 'public-place-hygiene-permit', status: 'manual_review' });
    expect(task.application.applicantName).to.include('*');

    const detail = await call('clerk.health', 'GET', `/api/v1/tasks/${health.task.userTaskKey}`);
    expect(detail.status, detail.text).to.equal(200);
    expect(detail.body.application.id).to.equal(health.applicationId);
    expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body.filter).to.deep.equal({ userTaskKey: health.task.userTaskKey });
    expect((await call('clerk.health', 'GET', `/api/v1/tasks/${sandboxTask.userTaskKey}`)).status).to.equal(404);
  });

  it("application=<id> asks Camunda for that case's tasks alone: the health case's review, none of transport's", async () => {
    const own = await call('clerk.health', 'GET', `/api/v1/tasks?application=${health.applicationId}`);
    expect(own.status, own.text).to.equal(200);
    expect(ids(own)).to.deep.equal([health.task.userTaskKey]);
    expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body.filter.processInstanceVariables).to.deep.equal([
      { name: 'sandbox', value: 'false' },
      { name: 'applicationId', value: JSON.stringify(health.applicationId) },
    ]);
    const other = await call('clerk.health', 'GET', `/api/v1/tasks?application=${transport.applicationId}`);
    expect(other.body).to.deep.equal([]);
  });

  it('a transport clerk sees only transport tasks: a health task does not exist for them, and cannot be claimed', async () => {
    expect(ids(await call('clerk.transport', 'GET', '/api/v1/tasks'))).to.deep.equal([transport.task.userTaskKey]);
    expect((await call('clerk.transport', 'GET', `/api/v1/tasks/${health.task.userTaskKey}`)).status).to.equal(404);
    const before = cluster.rest.requests('POST', /assignment$/).length;
    expect((await call('clerk.transport', 'POST', `/api/v1/tasks/${health.task.userTaskKey}/claim`)).status).to.equal(404);
    expect(cluster.rest.requests('POST', /assignment$/)).to.have.length(before);
  });

  it("the health chief sees the clerks' and the chief's tasks; an administrator every department's, but no sandbox", async () => {
    expect(ids(await call('chief.health', 'GET', '/api/v1/tasks'))).to.deep.equal([health.task.userTaskKey, chiefTask.userTaskKey].sort());
    expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body.filter.candidateGroup).to.deep.equal({ $in: ['health', 'health-chief'] });
    const all = await call('admin', 'GET', '/api/v1/tasks');
    expect(ids(all)).to.deep.equal([health.task.userTaskKey, transport.task.userTaskKey, chiefTask.userTaskKey].sort());
    expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body.filter).not.to.have.property('candidateGroup');
  });

  it('claims through an assignment that may not override: twice is harmless, unclaim unassigns, a racer gets 409', async () => {
    const key = health.task.userTaskKey;
    const claimed = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/claim`);
    expect(claimed.status, claimed.text).to.equal(200);
    expect(claimed.body).to.include({ state: 'claimed', assignee: 'clerk.health' });
    expect(lastRest('POST', /assignment$/)).to.deep.equal({
      method: 'POST',
      path: `/v2/user-tasks/${key}/assignment`,
      body: { assignee: 'clerk.health', allowOverride: false, action: 'claim' },
    });
    const assignments = cluster.rest.requests('POST', /assignment$/).length;
    expect((await call('clerk.health', 'POST', `/api/v1/tasks/${key}/claim`)).status).to.equal(200);
    expect(cluster.rest.requests('POST', /assignment$/)).to.have.length(assignments);
    const unclaimed = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/unclaim`);
    expect(unclaimed.body).to.include({ state: 'open', assignee: null });
    expect(lastRest('DELETE', /assignee$/)!.path).to.equal(`/v2/user-tasks/${key}/assignee`);
    await server.running.platform.audit.flush();
    const audit = await server.running.platform.db.knex('audit_log').where({ entity_id: key }).orderBy('seq').pluck('action');
    expect(audit).to.deep.equal(['task.claimed', 'task.unclaimed']);

    // The chief takes it in Camunda between the clerk's read and the clerk's assignment: Camunda refuses the clerk's.
    cluster.rest.onRequest = (c) => {
      if (c.path.endsWith('/assignment')) health.task.assignee = 'chief.health';
    };
    const lost = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/claim`);
    cluster.rest.onRequest = undefined;
    expect(lost.status).to.equal(409);
    expect(lost.body.error.message).to.equal('这项待办已由chief.health认领');
    delete health.task.assignee;
  });

  it('completes through Camunda with the decision as variables, only by the holder; the done list shows it', async () => {
    const { task, applicationId } = await waitingAt('health');
    const key = task.userTaskKey;
    expect((await call('clerk.health', 'POST', `/api/v1/tasks/${key}/complete`, { decision: 'approve' })).status).to.equal(409);
    await call('chief.health', 'POST', `/api/v1/tasks/${key}/claim`);
    const notHolder = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/complete`, { decision: 'approve' });
    expect(notHolder.status).to.equal(409);
    await call('chief.health', 'POST', `/api/v1/tasks/${key}/unclaim`);
    await call('clerk.health', 'POST', `/api/v1/tasks/${key}/claim`);
    const done = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/complete`, { decision: 'approve', comment: '材料齐全' });
    expect(done.status, done.text).to.equal(200);
    expect(done.body).to.deep.equal({ id: key, state: 'done' });
    expect(lastRest('POST', /completion$/)).to.deep.equal({
      method: 'POST',
      path: `/v2/user-tasks/${key}/completion`,
      body: { variables: { decision: 'approve', comment: '材料齐全', corrections: [] }, action: 'complete' },
    });
    expect(task.state).to.equal('COMPLETED');
    const again = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/complete`, { decision: 'approve' });
    expect(again.status).to.equal(409);
    const history = await call('clerk.health', 'GET', '/api/v1/tasks?state=done&assignee=me');
    expect(ids(history)).to.deep.equal([key]);
    expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body).to.deep.include({
      filter: {
        state: 'COMPLETED',
        processInstanceVariables: [{ name: 'sandbox', value: 'false' }],
        candidateGroup: { $in: ['health'] },
        assignee: 'clerk.health',
      },
      sort: [{ field: 'completionDate', order: 'DESC' }],
    });
    const knex = server.running.platform.db.knex;
    await server.running.platform.audit.flush();
    expect(await knex('audit_log').where({ entity_id: key, action: 'task.completed' }).first('actor')).to.deep.equal({
      actor: 'clerk.health',
    });
    const event = await knex('application_events').where({ application_id: applicationId, kind: 'decision' }).first('message');
    expect(event.message).to.contain('准予许可');
  });

  it('names the form of a task whose form version this node never deployed by asking Camunda once', async () => {
    const clerkForm = cluster.state.latest('form', 'common-clerk-review')!;
    const changed = Buffer.from(clerkForm.content.toString('utf8').replace('"审查意见"', '"审查意见（新）"'));
    cluster.state.deploy('common-clerk-review.form', changed);
    const { task } = await waitingAt('health');
    expect(task.formKey).not.to.equal(clerkForm.key);
    const listed = async () => (await call('clerk.health', 'GET', '/api/v1/tasks')).body.find((t: any) => t.id === task.userTaskKey);
    expect((await listed()).formId).to.equal('common-clerk-review');
    expect((await listed()).formId).to.equal('common-clerk-review');
    expect(cluster.rest.requests('GET', /\/form$/).map((c) => c.path)).to.deep.equal([`/v2/user-tasks/${task.userTaskKey}/form`]);
  });

  it("transfers within the department: to a colleague by an overriding assignment, back to the clerks' group by an update, a review never to the chief's", async () => {
    const { task } = await waitingAt('health');
    const key = task.userTaskKey;
    await call('clerk.health', 'POST', `/api/v1/tasks/${key}/claim`);
    const toColleague = await call('clerk.health', 'POST', `/api/v1/tasks/${key}/transfer`, { user: 'chief.health', reason: '请科长阅' });
    expect(toColleague.status, toColleague.text).to.equal(200);
    expect(lastRest('POST', /assignment$/)!.body).to.deep.equal({ assignee: 'chief.health', allowOverride: true, action: 'assign' });
    // A review stays a review: not to the chief's group (that would make it the chief's approval), back to the clerks'.
    const toChiefs = await call('chief.health', 'POST', `/api/v1/tasks/${key}/transfer`, { group: 'health-chief' });
    expect(toChiefs.status).to.equal(400);
    const toGroup = await call('chief.health', 'POST', `/api/v1/tasks/${key}/transfer`, { group: 'health' });
    expect(toGroup.status, toGroup.text).to.equal(200);
    expect(lastRest('PATCH', new RegExp(`/v2/user-tasks/${key}$`))!.body).to.deep.equal({
      changeset: { candidateGroups: ['health'] },
      action: 'transfer',
    });
    expect(lastRest('DELETE', /assignee$/)!.path).to.equal(`/v2/user-tasks/${key}/assignee`);
    expect(task.assignee).to.equal(undefined);
    expect(task.candidateGroups).to.deep.equal(['health']);
    const outside = await call('chief.health', 'POST', `/api/v1/tasks/${key}/transfer`, { group: 'transport' });
    expect(outside.status).to.equal(400);
  });

  it("raises a task's priority through Camunda when its reminder goes out; the list filters and sorts by it", async () => {
    const { task, applicationId } = await waitingAt('health');
    const platform = { knex: server.running.platform.db.knex, engine: server.running.platform.engine };
    const raised = await raisePriorityOnNotice(platform, { applicationId, template: 'task-overdue' });
    expect(raised).to.equal(1);
    expect(lastRest('PATCH', new RegExp(`/v2/user-tasks/${task.userTaskKey}$`))!.body).to.deep.equal({
      changeset: { priority: 90 },
      action: 'escalate',
    });
    expect(await raisePriorityOnNotice(platform, { applicationId, template: 'task-due-soon' }), 'never lowered').to.equal(0);
    expect(task.priority).to.equal(90);
    const urgent = await call('clerk.health', 'GET', '/api/v1/tasks?minPriority=90&sort=priority');
    expect(urgent.status, urgent.text).to.equal(200);
    expect(urgent.body.map((t: { id: string; priority: number }) => [t.id, t.priority])).to.deep.equal([[task.userTaskKey, 90]]);
    const search = lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body;
    expect(search.filter.priority).to.deep.equal({ $gte: 90 });
    expect(search.sort[0]).to.deep.equal({ field: 'priority', order: 'DESC' });
  });

  it("pages through Camunda's cursor: X-Total-Count counts every match, X-Next-Cursor leads to the next page until the last", async () => {
    await waitingAt('health');
    const all = await call('admin', 'GET', '/api/v1/tasks?limit=500');
    const total = Number(all.headers.get('x-total-count'));
    expect(total).to.equal(all.body.length).and.to.be.at.least(4);
    expect(all.headers.get('x-next-cursor')).to.equal(null);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const reply = await call('admin', 'GET', `/api/v1/tasks?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(reply.status, reply.text).to.equal(200);
      expect(Number(reply.headers.get('x-total-count'))).to.equal(total);
      expect(reply.body.length).to.be.at.most(2);
      seen.push(...reply.body.map((t: { id: string }) => t.id));
      expect(lastRest('POST', /^\/v2\/user-tasks\/search$/)!.body.page).to.have.keys(pages ? ['limit', 'after'] : ['limit']);
      after = reply.headers.get('x-next-cursor');
      if (!after) expect(reply.body.length).to.be.above(0);
      pages++;
    } while (after);
    expect(pages).to.equal(Math.ceil(total / 2));
    expect(seen, 'every task once, in the list order').to.deep.equal(all.body.map((t: { id: string }) => t.id));
    const bad = await call('admin', 'GET', '/api/v1/tasks?after=bm90LWEtY3Vyc29y');
    expect(bad.status).to.equal(400);
  });
});
