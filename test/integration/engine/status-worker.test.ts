import { expect } from 'chai';
import { bpmn, deployRaw, embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const statusTask = (id: string, status: string, next: string) => `
  <bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="status" />
    <zeebe:taskHeaders><zeebe:header key="status" value="${status}" /></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="after-${id}" sourceRef="${id}" targetRef="${next}" />`;

const flow = bpmn(
  'status-flow',
  `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="toReviewing" />
   ${statusTask('toReviewing', 'reviewing', 'toManual')}
   ${statusTask('toManual', 'manual_review', 'clerk')}
   <bpmn:userTask id="clerk"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="health" /></bpmn:extensionElements></bpmn:userTask>
   <bpmn:sequenceFlow id="s1" sourceRef="clerk" targetRef="toApproved" />
   ${statusTask('toApproved', 'approved', 'end')}
   <bpmn:endEvent id="end" />`,
);
const misconfigured = bpmn(
  'status-misconfigured',
  `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="bad" />${statusTask('bad', 'finished', 'end')}<bpmn:endEvent id="end" />`,
);

describe('status worker', () => {
  let server: TestServer;
  const knex = () => server.running.platform.db.knex;
  const engine = () => embedded(server.running.platform);

  before(async () => {
    server = await startTestServer();
    await deployRaw(server.running.platform, 'bpmn', 'status-flow', flow);
    await deployRaw(server.running.platform, 'bpmn', 'status-misconfigured', misconfigured);
  });
  after(() => server?.close());

  async function application(id: string, status = 'submitted') {
    const now = new Date();
    await knex()('applications').insert({
      id,
      matter_slug: 'public-place-hygiene-permit',
      action: 'change',
      department: 'health',
      applicant_id: 'enterprise1',
      status,
      resume_code: `R-${id}`,
      created_at: now,
      updated_at: now,
    });
  }
  const statusOf = async (id: string) => (await knex()('applications').where({ id }).first('status')).status;

  it('follows the process: each status task sets the status, adds it to the timeline and to the audit log', async () => {
    await application('APP-1');
    const { key } = await engine().startInstance({ bpmnProcessId: 'status-flow', variables: { applicationId: 'APP-1' }, actor: 'test' });
    await eventually(
      () => statusOf('APP-1'),
      (s) => s === 'manual_review',
    );
    const task = await eventually(
      () => knex()('tasks').where({ instance_key: key, state: 'created' }).first(),
      (t) => Boolean(t),
    );
    await engine().completeUserTask(String(task.key), { decision: 'approve' }, 'clerk.health');
    await eventually(
      () => statusOf('APP-1'),
      (s) => s === 'approved',
    );
    const timeline = await knex()('application_events').where({ application_id: 'APP-1' }).orderBy('id').pluck('message');
    expect(timeline).to.deep.equal(['审查中', '人工审查中', '准予许可']);
    const decided = await knex()('applications').where({ id: 'APP-1' }).first('decided_at');
    expect(decided.decided_at).to.not.equal(null);
    await server.running.platform.audit.flush();
    const audit = await knex()('audit_log').where({ entity_type: 'application', entity_id: 'APP-1' }).orderBy('seq').pluck('action');
    expect(audit).to.deep.equal(['application.status', 'application.status', 'application.decided']);
  });

  it('should NOT move an application that is closed or withdrawn', async () => {
    await application('APP-2', 'withdrawn');
    const { key } = await engine().startInstance({ bpmnProcessId: 'status-flow', variables: { applicationId: 'APP-2' }, actor: 'test' });
    await eventually(
      () => engine().getInstance(key),
      (i) => i!.activeElements.includes('clerk'),
    );
    expect(await statusOf('APP-2')).to.equal('withdrawn');
  });

  it('raises an incident naming the task when its status header is not an application status', async () => {
    const { key } = await engine().startInstance({
      bpmnProcessId: 'status-misconfigured',
      variables: { applicationId: 'APP-1' },
      actor: 'test',
    });
    const instance = await eventually(
      () => engine().getInstance(key),
      (i) => i!.state === 'incident',
      15000,
    );
    expect(instance!.incidents[0].errorMessage).to.contain('status task bad has header status "finished"');
  });

  it('raises an incident for an application that does not exist, and does nothing for a sandbox try-it', async () => {
    const real = await engine().startInstance({ bpmnProcessId: 'status-flow', variables: { applicationId: 'NOPE' }, actor: 'test' });
    const sandbox = await engine().startInstance({ bpmnProcessId: 'status-flow', variables: {}, actor: 'designer', sandbox: true });
    expect(
      (await eventually(
        () => engine().getInstance(sandbox.key),
        (i) => i!.activeElements.includes('clerk'),
      ))!.state,
    ).to.equal('active');
    const failed = await eventually(
      () => engine().getInstance(real.key),
      (i) => i!.state === 'incident',
      15000,
    );
    expect(failed!.incidents[0].errorMessage).to.contain('application NOPE does not exist');
  });
});
