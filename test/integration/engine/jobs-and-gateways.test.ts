import { expect } from 'chai';
import { bpmnError, complete, fail, type Job } from '../../../workers/worker';
import { bpmn, deployRaw, embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const reviewFlow = bpmn(
  'review-flow',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prefill" />
  <bpmn:serviceTask id="prefill" name="预填">
    <bpmn:extensionElements>
      <zeebe:taskDefinition type="t-prefill" retries="2" />
      <zeebe:taskHeaders><zeebe:header key="status" value="reviewing" /></zeebe:taskHeaders>
      <zeebe:ioMapping>
        <zeebe:input source="=applicationId" target="appId" />
        <zeebe:output source="=score * 2" target="doubled" />
      </zeebe:ioMapping>
    </bpmn:extensionElements>
  </bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="prefill" targetRef="gateway" />
  <bpmn:exclusiveGateway id="gateway" default="toClerk" />
  <bpmn:sequenceFlow id="toAuto" sourceRef="gateway" targetRef="auto"><bpmn:conditionExpression>=doubled &gt;= 10</bpmn:conditionExpression></bpmn:sequenceFlow>
  <bpmn:sequenceFlow id="toClerk" sourceRef="gateway" targetRef="clerk" />
  <bpmn:serviceTask id="auto"><bpmn:extensionElements><zeebe:taskDefinition type="t-auto" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:boundaryEvent id="notEligible" attachedToRef="auto">
    <bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=reasons" target="refusal" /></zeebe:ioMapping></bpmn:extensionElements>
    <bpmn:errorEventDefinition errorRef="errNotEligible" />
  </bpmn:boundaryEvent>
  <bpmn:sequenceFlow id="f3" sourceRef="auto" targetRef="endApproved" />
  <bpmn:sequenceFlow id="f4" sourceRef="notEligible" targetRef="endRefused" />
  <bpmn:userTask id="clerk" name="人工审查">
    <bpmn:extensionElements>
      <zeebe:userTask />
      <zeebe:assignmentDefinition candidateGroups="=department" />
      <zeebe:taskSchedule dueDate="=dueDate" />
      <zeebe:formDefinition formId="clerk-review" />
    </bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:sequenceFlow id="f5" sourceRef="clerk" targetRef="endManual" />
  <bpmn:endEvent id="endApproved" /><bpmn:endEvent id="endRefused" /><bpmn:endEvent id="endManual" />`,
  '<bpmn:error id="errNotEligible" name="not eligible" errorCode="NOT_ELIGIBLE" />',
);

describe('embedded engine: jobs, mappings, gateways, user tasks, errors and incidents', () => {
  let server: TestServer;
  const seen: Job[] = [];
  let autoOutcome: 'complete' | 'error' | 'fail' = 'complete';

  before(async () => {
    // Every step in an engine thread: the rest of the suite moves few instances at once, which stay in the main thread.
    server = await startTestServer({ engineThreads: 2, engineThreadsFrom: 0 });
    const engine = embedded(server.running.platform);
    engine.registerWorker({ type: 't-prefill', handler: async (job) => (seen.push(job), complete({ score: job.variables.base })) });
    engine.registerWorker({
      type: 't-auto',
      handler: async () => {
        if (autoOutcome === 'error') return bpmnError('NOT_ELIGIBLE', '不符合条件', { reasons: ['营业执照已注销'], checkedBy: 't-auto' });
        if (autoOutcome === 'fail') return fail('registry down', 10);
        return complete({ approved: true });
      },
    });
    await deployRaw(server.running.platform, 'bpmn', 'review-flow', reviewFlow);
  });
  after(() => server?.close());

  const engine = () => embedded(server.running.platform);
  const startFlow = (variables: Record<string, unknown>) =>
    engine().startInstance({
      bpmnProcessId: 'review-flow',
      variables: { applicationId: 'A-1', department: 'health', dueDate: '2026-12-01T08:00:00Z', ...variables },
      actor: 'test',
    });
  const settled = (key: string) =>
    eventually(
      () => engine().getInstance(key),
      (i) => i!.state !== 'active' || i!.activeElements.includes('clerk'),
    );

  it('runs service tasks as jobs with input mappings and headers, and routes on a FEEL condition over an output mapping', async () => {
    autoOutcome = 'complete';
    const { key, version } = await startFlow({ base: 7 });
    expect(version).to.equal(1);
    const instance = await settled(key);
    expect(instance!.state).to.equal('completed');
    expect(instance!.variables).to.include({ doubled: 14, approved: true });
    expect(instance!.variables).not.to.have.property('appId');
    const job = seen.find((j) => j.processInstanceKey === key)!;
    expect(job.variables).to.include({ appId: 'A-1', base: 7 });
    expect(job.headers).to.deep.equal({ status: 'reviewing' });
    expect(job.bpmnProcessId).to.equal('review-flow');
    const jobs = await server.running.platform.db.knex('jobs').where({ instance_key: key }).select('type', 'state');
    expect(jobs.map((j: { state: string }) => j.state)).to.deep.equal(['completed', 'completed']);
  });

  it('parks at a user task as a tasks row with FEEL candidate group, due date and form, and goes on when completed', async () => {
    const { key } = await startFlow({ base: 1 });
    const instance = await settled(key);
    expect(instance!.activeElements).to.deep.equal(['clerk']);
    const task = await server.running.platform.db.knex('tasks').where({ instance_key: key }).first();
    expect(task).to.include({ element_id: 'clerk', name: '人工审查', form_key: 'clerk-review', state: 'created', application_id: 'A-1' });
    expect(task.candidate_groups).to.deep.equal(['health']);
    expect(new Date(task.due_date).toISOString()).to.equal('2026-12-01T08:00:00.000Z');
    const metrics = await server.request('GET', '/metrics');
    expect(metrics.text).to.match(/worklist_open_tasks\{group="health"\} [1-9]/);

    await engine().completeUserTask(String(task.key), { decision: 'approve' }, 'clerk.health');
    const done = await engine().getInstance(key);
    expect(done!.state).to.equal('completed');
    expect(done!.variables.decision).to.equal('approve');
  });

  it('should NOT complete a user task twice: the second completion is a 409 conflict', async () => {
    const { key } = await startFlow({ base: 1 });
    await settled(key);
    const task = await server.running.platform.db.knex('tasks').where({ instance_key: key }).first();
    await engine().completeUserTask(String(task.key), { decision: 'approve' }, 'clerk.health');
    const second = await engine()
      .completeUserTask(String(task.key), { decision: 'reject' }, 'clerk.health')
      .catch((e) => e);
    expect(second.status).to.equal(409);
    expect((await engine().getInstance(key))!.variables.decision).to.equal('approve');
  });

  it('catches a BPMN error thrown by a worker on the matching error boundary event; its variables reach the process only through the event output mappings', async () => {
    autoOutcome = 'error';
    const { key } = await startFlow({ base: 9 });
    const instance = await settled(key);
    expect(instance!.state).to.equal('completed');
    expect(instance!.variables).not.to.have.property('approved');
    // As on Zeebe: the error's variables are the catch event's own, mapped out; nothing of the error object leaks.
    expect(instance!.variables.refusal).to.deep.equal(['营业执照已注销']);
    for (const name of ['reasons', 'checkedBy', 'code', 'inner', 'source', 'description'])
      expect(instance!.variables, name).not.to.have.property(name);
    const job = await server.running.platform.db.knex('jobs').where({ instance_key: key, type: 't-auto' }).first();
    expect(job.state).to.equal('error_thrown');
  });

  it('retries a failing job, raises an incident when retries are spent, and an admin resolution runs it again', async () => {
    autoOutcome = 'fail';
    const { key } = await startFlow({ base: 9 });
    const instance = await eventually(
      () => engine().getInstance(key),
      (i) => i!.state === 'incident',
      10000,
    );
    expect(instance!.incidents).to.have.length(1);
    expect(instance!.incidents[0]).to.include({ errorType: 'JOB_NO_RETRIES', elementId: 'auto', jobType: 't-auto', applicationId: 'A-1' });
    const job = await server.running.platform.db.knex('jobs').where({ instance_key: key, type: 't-auto' }).first();
    expect(job).to.include({ state: 'failed', retries: 0 });

    const admin = await server.login('admin');
    const listed = await server.request('GET', '/api/v1/incidents', { token: admin });
    expect(listed.status).to.equal(200);
    expect(listed.body.map((i: { instanceKey: string }) => i.instanceKey)).to.include(key);

    autoOutcome = 'complete';
    const resolved = await server.request('POST', `/api/v1/incidents/${instance!.incidents[0].key}/resolution`, { token: admin });
    expect(resolved.status).to.equal(204);
    const done = await eventually(
      () => engine().getInstance(key),
      (i) => i!.state === 'completed',
    );
    expect(done!.variables.approved).to.equal(true);
    await server.running.platform.audit.flush();
    const audit = await server.running.platform.db.knex('audit_log').where({ entity_id: key }).pluck('action');
    expect(audit).to.include.members(['instance.started', 'incident.created', 'incident.resolved']);
  });
});
