import { expect } from 'chai';
import { complete } from '../../../workers/worker';
import { bpmn, deployRaw, embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const version = (next: string) =>
  bpmn(
    'versioned',
    `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="clerk" />
     <bpmn:userTask id="clerk"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="health" /></bpmn:extensionElements></bpmn:userTask>
     <bpmn:sequenceFlow id="s1" sourceRef="clerk" targetRef="after" />
     <bpmn:serviceTask id="after"><bpmn:extensionElements><zeebe:taskDefinition type="v-${next}" /></bpmn:extensionElements></bpmn:serviceTask>
     <bpmn:sequenceFlow id="s2" sourceRef="after" targetRef="end" /><bpmn:endEvent id="end" />`,
  );

describe('embedded engine: versions', () => {
  let server: TestServer;
  const ran: string[] = [];
  before(async () => {
    server = await startTestServer();
    for (const type of ['v-one', 'v-two'])
      embedded(server.running.platform).registerWorker({
        type,
        handler: async (job) => (ran.push(`${job.processInstanceKey}:${type}`), complete()),
      });
  });
  after(() => server?.close());

  it('keeps a running instance on the version it started with while new instances start on the newest', async () => {
    const platform = server.running.platform;
    const engine = embedded(platform);
    expect(await deployRaw(platform, 'bpmn', 'versioned', version('one'))).to.equal(1);
    const old = await engine.startInstance({ bpmnProcessId: 'versioned', variables: {}, actor: 'test' });
    expect(await deployRaw(platform, 'bpmn', 'versioned', version('two'))).to.equal(2);
    const fresh = await engine.startInstance({ bpmnProcessId: 'versioned', variables: {}, actor: 'test' });
    expect(fresh.version).to.equal(2);
    const pinned = await engine.startInstance({ bpmnProcessId: 'versioned', version: 1, variables: {}, actor: 'test' });
    expect(pinned.version).to.equal(1);

    for (const { key } of [old, fresh, pinned]) {
      const task = await platform.db.knex('tasks').where({ instance_key: key, state: 'created' }).first();
      await engine.completeUserTask(String(task.key), {}, 'clerk.health');
      await eventually(
        () => engine.getInstance(key),
        (i) => i!.state === 'completed',
      );
    }
    expect(ran).to.have.members([`${old.key}:v-one`, `${fresh.key}:v-two`, `${pinned.key}:v-one`]);
    const unknown = await engine.startInstance({ bpmnProcessId: 'versioned', version: 9, variables: {}, actor: 'test' }).catch((e) => e);
    expect(unknown.status).to.equal(404);
  });
});
