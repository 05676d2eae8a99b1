import { expect } from 'chai';
import { bpmn, deployRaw, embedded } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const shortTimer = bpmn(
  'short-timer',
  `
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pause" />
  <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="f2" sourceRef="pause" targetRef="end" />
  <bpmn:endEvent id="end" />`,
);

// Regression: bpmn-elements completes a resumed timer by itself when the wall clock has passed its expiry, so the
// host's fire-timer found nothing armed, cancelled the timer row and left the instance waiting for ever.
describe('embedded engine: a timer whose due time has passed on the wall clock', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await deployRaw(server.running.platform, 'bpmn', 'short-timer', shortTimer);
  });
  after(() => server?.close());

  it('fires when the scheduler finds it due, as it does when only the platform clock moved', async () => {
    const engine = embedded(server.running.platform);
    const knex = server.running.platform.db.knex;
    const { key } = await engine.startInstance({ bpmnProcessId: 'short-timer', actor: 'test' });
    const timer = await knex('timers').where({ instance_key: key }).first();
    const dueAt = new Date(timer.due_at).getTime();
    while (Date.now() <= dueAt) await new Promise((resolve) => setTimeout(resolve, dueAt - Date.now() + 5));

    await engine.tick();

    expect((await knex('timers').where({ key: timer.key }).first()).state).to.equal('fired');
    expect((await engine.getInstance(key))!.state).to.equal('completed');
  });
});
