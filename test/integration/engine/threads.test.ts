import { expect } from 'chai';
import { complete } from '../../../workers/worker';
import { bpmn, deployRaw, embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const twoJobs = bpmn(
  'thread-flow',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="slow" />
  <bpmn:serviceTask id="slow"><bpmn:extensionElements><zeebe:taskDefinition type="th-slow" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="slow" targetRef="final" />
  <bpmn:serviceTask id="final"><bpmn:extensionElements><zeebe:taskDefinition type="th-final" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f3" sourceRef="final" targetRef="end" />
  <bpmn:endEvent id="end" />`,
);

const INSTANCES = 6;

describe('embedded engine: engine threads', () => {
  let server: TestServer;
  let slowRuns = 0;
  let release: () => void = () => {};
  let held = new Promise<void>((resolve) => (release = resolve));

  before(async () => {
    // Threads from the first step, so every session here runs in one.
    server = await startTestServer({ engineThreads: 2, engineThreadsFrom: 0 });
    const engine = embedded(server.running.platform);
    engine.registerWorker({ type: 'th-slow', handler: async () => (slowRuns++, await held, complete({ slowDone: true })) });
    engine.registerWorker({ type: 'th-final', handler: async (job) => complete({ sawSlow: job.variables.slowDone === true }) });
    await deployRaw(server.running.platform, 'bpmn', 'thread-flow', twoJobs);
  });

  after(async () => {
    release();
    await server?.close();
  });

  const knex = () => server.running.platform.db.knex;

  it('finishes instances whose engine thread ended while their job was in hand, from the stored state, each job once', async () => {
    // Given instances waiting in engine threads on a job their worker holds
    const engine = embedded(server.running.platform);
    const keys: string[] = [];
    for (let i = 0; i < INSTANCES; i++)
      keys.push((await engine.startInstance({ bpmnProcessId: 'thread-flow', variables: {}, actor: 'test' })).key);
    await eventually(
      async () => slowRuns,
      (n) => n === INSTANCES,
    );
    expect(engine.threads!.threadCount, 'engine threads running').to.be.within(1, 2);

    // When the threads end (their live sessions with them) and the workers answer
    await engine.threads!.close();
    expect(engine.threads!.threadCount).to.equal(0);
    release();

    // Then every instance goes on from its stored state in a new thread, and completes
    const done = await eventually(
      () => knex()('process_instances').whereIn('key', keys).select('key', 'state', 'variables'),
      (rows) => rows.every((r: { state: string }) => r.state === 'completed'),
      10_000,
    );
    for (const row of done) expect(row.variables, `variables of ${row.key}`).to.include({ slowDone: true, sawSlow: true });
    const jobs = await knex()('jobs').whereIn('instance_key', keys).select('element_id', 'state');
    expect(jobs.map((j: { element_id: string; state: string }) => `${j.element_id}:${j.state}`).sort()).to.deep.equal(
      [...Array(INSTANCES).fill('final:completed'), ...Array(INSTANCES).fill('slow:completed')].sort(),
    );
    expect(slowRuns, 'slow handler runs').to.equal(INSTANCES);
    const [incidents] = await knex()('incidents').whereIn('instance_key', keys).count<{ n: string }[]>('key as n');
    expect(Number(incidents.n), 'incidents').to.equal(0);
    expect(engine.threads!.threadCount, 'a thread started again').to.be.greaterThan(0);
  });

  it('ends threads idle for a minute, and starts one again for the next instance', async () => {
    const engine = embedded(server.running.platform);
    await engine.threads!.sweep(Date.now() + 61_000);
    expect(engine.threads!.threadCount).to.equal(0);

    const { key } = await engine.startInstance({ bpmnProcessId: 'thread-flow', variables: {}, actor: 'test' });
    const row = await eventually(
      () => knex()('process_instances').where({ key }).first('state'),
      (r) => r.state === 'completed',
    );
    expect(row.state).to.equal('completed');
  });
});
