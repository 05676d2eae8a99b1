import { expect } from 'chai';
import { EmbeddedEngine } from '../../../server/engine/embedded/embedded-engine';
import { createLogger } from '../../../server/log';
import { complete } from '../../../workers/worker';
import { bpmn, deployRaw, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const oneJob = bpmn(
  'backlog-flow',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="narrow" />
  <bpmn:serviceTask id="narrow"><bpmn:extensionElements><zeebe:taskDefinition type="bk-narrow" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="narrow" targetRef="end" />
  <bpmn:endEvent id="end" />`,
);

describe('embedded engine: jobs waiting for a worker slot', () => {
  let server: TestServer;
  let engine: EmbeddedEngine;

  before(async () => {
    server = await startTestServer();
    const platform = server.running.platform;
    await deployRaw(platform, 'bpmn', 'backlog-flow', oneJob);
    // An engine of its own that is never started: no poll loop, so only a freed slot can hand out a waiting job.
    engine = new EmbeddedEngine({
      knex: platform.db.knex,
      databaseKind: platform.db.kind,
      clock: server.clock,
      log: createLogger('silent'),
      audit: platform.audit,
    });
    await engine.deploy([
      {
        key: String(
          await platform.db
            .knex('resources')
            .where({ resource_id: 'backlog-flow' })
            .first('key')
            .then((r) => r.key),
        ),
        kind: 'bpmn',
        id: 'backlog-flow',
        version: 1,
        content: oneJob,
      },
    ]);
  });

  after(async () => {
    await engine?.stop();
    await server?.close();
  });

  it('takes the next waiting job as soon as a slot frees, not at the next poll', async () => {
    const ran: string[] = [];
    engine.registerWorker({
      type: 'bk-narrow',
      maxConcurrent: 1,
      handler: async (job) => (ran.push(job.processInstanceKey), await new Promise((resolve) => setTimeout(resolve, 5)), complete()),
    });
    const keys: string[] = [];
    for (let i = 0; i < 6; i++)
      keys.push((await engine.startInstance({ bpmnProcessId: 'backlog-flow', variables: {}, actor: 'test' })).key);

    const states = await eventually(
      () => server.running.platform.db.knex('process_instances').whereIn('key', keys).pluck('state'),
      (all: string[]) => all.every((state) => state === 'completed'),
    );
    expect(states).to.have.length(6);
    expect([...ran].sort()).to.deep.equal([...keys].sort());
  });
});
