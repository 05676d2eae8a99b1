import { expect } from 'chai';
import { EmbeddedEngine } from '../../../server/engine/embedded/embedded-engine';
import { createLogger } from '../../../server/log';
import { complete } from '../../../workers/worker';
import { bpmn, deployRaw, embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const DAY = 86_400_000;

const correctionFlow = bpmn(
  'correction-flow',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="waitCorrections" />
  <bpmn:receiveTask id="waitCorrections" messageRef="corrections" />
  <bpmn:boundaryEvent id="noCorrections" attachedToRef="waitCorrections"><bpmn:timerEventDefinition><bpmn:timeDuration>P15D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:boundaryEvent id="remind" attachedToRef="waitCorrections" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/P5D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:sequenceFlow id="f2" sourceRef="waitCorrections" targetRef="endCorrected" />
  <bpmn:sequenceFlow id="f3" sourceRef="noCorrections" targetRef="endClosed" />
  <bpmn:sequenceFlow id="f4" sourceRef="remind" targetRef="notify" />
  <bpmn:serviceTask id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="w-notify" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f5" sourceRef="notify" targetRef="endReminded" />
  <bpmn:endEvent id="endCorrected" /><bpmn:endEvent id="endClosed" /><bpmn:endEvent id="endReminded" />`,
  '<bpmn:message id="corrections" name="corrections-submitted"><bpmn:extensionElements><zeebe:subscription correlationKey="=applicationId" /></bpmn:extensionElements></bpmn:message>',
);

const longTimer = bpmn(
  'long-timer',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="thirtyDays" />
  <bpmn:intermediateCatchEvent id="thirtyDays"><bpmn:timerEventDefinition><bpmn:timeDuration>=wait</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="f2" sourceRef="thirtyDays" targetRef="end" />
  <bpmn:endEvent id="end" />`,
);

const child = bpmn(
  'child-flow',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
  <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="w-child" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  <bpmn:endEvent id="end" />`,
);

const parent = bpmn(
  'parent-flow',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child-flow" propagateAllChildVariables="true" /></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="each" />
  <bpmn:serviceTask id="each">
    <bpmn:extensionElements><zeebe:taskDefinition type="w-ocr" /></bpmn:extensionElements>
    <bpmn:multiInstanceLoopCharacteristics>
      <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=materials" inputElement="material" outputCollection="results" outputElement="=text" /></bpmn:extensionElements>
    </bpmn:multiInstanceLoopCharacteristics>
  </bpmn:serviceTask>
  <bpmn:sequenceFlow id="f3" sourceRef="each" targetRef="decide" />
  <bpmn:businessRuleTask id="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="t-review" resultVariable="findings" /></bpmn:extensionElements></bpmn:businessRuleTask>
  <bpmn:sequenceFlow id="f4" sourceRef="decide" targetRef="end" />
  <bpmn:endEvent id="end" />`,
);

const reviewTable = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="t-review-defs" name="审查要点" namespace="http://approvals">
  <decision id="t-review" name="审查">
    <decisionTable id="table" hitPolicy="COLLECT">
      <input id="i1"><inputExpression id="e1" typeRef="number"><text>count(results)</text></inputExpression></input>
      <output id="o1" name="point" typeRef="string" />
      <rule id="r1"><inputEntry id="a1"><text>&lt; 3</text></inputEntry><outputEntry id="b1"><text>"materials-missing"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="a2"><text>-</text></inputEntry><outputEntry id="b2"><text>"checked:" + fromChild</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

describe('embedded engine: messages, durable timers, call activities, multi-instance, decisions', () => {
  let server: TestServer;
  const platform = () => server.running.platform;
  const engine = () => embedded(platform());

  before(async () => {
    // Every step in an engine thread: the rest of the suite moves few instances at once, which stay in the main thread.
    server = await startTestServer({ engineThreads: 2, engineThreadsFrom: 0 });
    engine().registerWorker({ type: 'w-notify', handler: async () => complete({ reminded: true }) });
    engine().registerWorker({ type: 'w-child', handler: async (job) => complete({ fromChild: `${job.variables.applicationId}-done` }) });
    engine().registerWorker({ type: 'w-ocr', handler: async (job) => complete({ text: `read ${job.variables.material}` }) });
    for (const [id, xml] of [
      ['correction-flow', correctionFlow],
      ['long-timer', longTimer],
      ['child-flow', child],
      ['parent-flow', parent],
    ]) {
      await deployRaw(platform(), 'bpmn', id, xml);
    }
    await deployRaw(platform(), 'dmn', 't-review', reviewTable);
  });
  after(() => server?.close());

  const start = (bpmnProcessId: string, variables: Record<string, unknown>, sandbox = false) =>
    engine().startInstance({ bpmnProcessId, variables, actor: 'test', sandbox });

  it('correlates a message to the receive task by its correlation key, with its variables', async () => {
    const { key } = await start('correction-flow', { applicationId: 'M-1' });
    const other = await start('correction-flow', { applicationId: 'M-2' });
    const published = await engine().publishMessage({
      name: 'corrections-submitted',
      correlationKey: 'M-1',
      variables: { corrected: ['phone'] },
    });
    expect(published.correlatedInstanceKeys).to.deep.equal([key]);
    const done = await engine().getInstance(key);
    expect(done!.state).to.equal('completed');
    expect(done!.variables.corrected).to.deep.equal(['phone']);
    expect((await engine().getInstance(other.key))!.state).to.equal('active');
  });

  it('buffers a message published before anyone waits, for its time to live, and ignores a repeat with the same message id', async () => {
    const first = await engine().publishMessage({
      name: 'corrections-submitted',
      correlationKey: 'M-3',
      timeToLiveMs: 60_000,
      messageId: 'once',
    });
    expect(first.buffered).to.equal(true);
    const again = await engine().publishMessage({
      name: 'corrections-submitted',
      correlationKey: 'M-3',
      timeToLiveMs: 60_000,
      messageId: 'once',
    });
    expect(again.key).to.equal(first.key);
    const { key } = await start('correction-flow', { applicationId: 'M-3' });
    expect(
      (await eventually(
        () => engine().getInstance(key),
        (i) => i!.state === 'completed',
      ))!.state,
    ).to.equal('completed');
    const late = await start('correction-flow', { applicationId: 'M-3' });
    expect((await engine().getInstance(late.key))!.state, 'a buffered message is consumed once').to.equal('active');
  });

  it('should NOT let a sandbox message reach a real instance, nor a real one a sandbox instance', async () => {
    const real = await start('correction-flow', { applicationId: 'S-1' });
    const sandboxed = await start('correction-flow', { applicationId: 'S-1' }, true);
    const fromDesigner = await engine().publishMessage({ name: 'corrections-submitted', correlationKey: 'S-1', sandbox: true });
    expect(fromDesigner.correlatedInstanceKeys).to.deep.equal([sandboxed.key]);
    expect((await engine().getInstance(real.key))!.state).to.equal('active');
  });

  it('fires timers by the platform clock only: a 15-day boundary closes the case, a non-interrupting cycle reminds twice', async () => {
    const { key } = await start('correction-flow', { applicationId: 'T-1' });
    await engine().tick();
    expect((await engine().getInstance(key))!.state).to.equal('active');
    server.clock.advance(5 * DAY + 1000);
    await engine().tick();
    await eventually(
      () => platform().db.knex('jobs').where({ instance_key: key, type: 'w-notify', state: 'completed' }).count('key as n').first(),
      (r: any) => Number(r.n) === 1,
    );
    server.clock.advance(5 * DAY + 1000);
    await engine().tick();
    await eventually(
      () => platform().db.knex('jobs').where({ instance_key: key, type: 'w-notify', state: 'completed' }).count('key as n').first(),
      (r: any) => Number(r.n) === 2,
    );
    expect((await engine().getInstance(key))!.state, 'the reminders do not end the wait').to.equal('active');
    server.clock.advance(5 * DAY + 1000);
    await engine().tick();
    const closed = await engine().getInstance(key);
    expect(closed!.state).to.equal('completed');
    const timers = await platform().db.knex('timers').where({ instance_key: key }).orderBy('key').pluck('state');
    expect(timers.filter((s: string) => s === 'armed')).to.deep.equal([]);
  });

  it('keeps a 30-day timer across a restart of the engine and fires it on day 30, not day 29', async () => {
    const { key } = await start('long-timer', { wait: 'P30D' });
    await engine().stop();
    const restarted = new EmbeddedEngine({
      knex: platform().db.knex,
      databaseKind: platform().db.kind,
      clock: server.clock,
      log: createLogger('silent'),
      audit: platform().audit,
    });
    await restarted.start();
    try {
      server.clock.advance(29 * DAY);
      await restarted.tick();
      expect((await restarted.getInstance(key))!.state).to.equal('active');
      server.clock.advance(DAY + 1000);
      await restarted.tick();
      expect((await restarted.getInstance(key))!.state).to.equal('completed');
    } finally {
      await restarted.stop();
      await engine().start();
    }
  });

  it('calls another deployed process, runs a multi-instance job over a collection, and a business rule task on the latest table', async () => {
    const { key } = await start('parent-flow', { applicationId: 'C-1', materials: ['id-card', 'licence', 'lease'] });
    const done = await eventually(
      () => engine().getInstance(key),
      (i) => i!.state !== 'active',
    );
    expect(done!.state).to.equal('completed');
    expect(done!.variables.fromChild).to.equal('C-1-done');
    expect(done!.variables.results).to.deep.equal(['read id-card', 'read licence', 'read lease']);
    expect(done!.variables.findings).to.deep.equal(['checked:C-1-done']);
    const children = await platform().db.knex('process_instances').where({ parent_key: key }).select('bpmn_process_id', 'state');
    expect(children).to.deep.equal([{ bpmn_process_id: 'child-flow', state: 'completed' }]);
  });

  it('cancels an instance with its wait states and answers 409 for a second cancellation over HTTP', async () => {
    const designer = await server.login('designer');
    const started = await server.request('POST', '/api/v1/process-instances', {
      token: designer,
      json: { bpmnProcessId: 'correction-flow', variables: { applicationId: 'X-1' } },
    });
    expect(started.status).to.equal(201);
    const view = await server.request('GET', `/api/v1/process-instances/${started.body.key}`, { token: designer });
    expect(view.body).to.include({ state: 'active', sandbox: true });
    expect(view.body.activeElements).to.include('waitCorrections');
    expect(
      (await server.request('POST', `/api/v1/process-instances/${started.body.key}/cancellation`, { token: designer })).status,
    ).to.equal(204);
    expect(
      (await server.request('POST', `/api/v1/process-instances/${started.body.key}/cancellation`, { token: designer })).status,
    ).to.equal(409);
    const timers = await platform().db.knex('timers').where({ instance_key: started.body.key }).pluck('state');
    expect(timers.every((s: string) => s === 'cancelled')).to.equal(true);
    const unknown = await server.request('GET', '/api/v1/process-instances/999999', { token: designer });
    expect(unknown.status).to.equal(404);
  });
});
