import { expect } from 'chai';
import { shanghaiDate } from '../../../server/calendar/local-date';
import { submitFlawedEmployerChange } from '../../support/clerk-cases';
import { embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { setWallClock } from '../../support/wall-clock';

const DAY_S = 86_400;
const at = (shanghaiTime: string) => new Date(`${shanghaiTime}+08:00`);

// Submitted on Monday 2 November 2026 (no holiday near): without a pause, acceptance within 5 working days is due
// on Monday 9 November (3, 4, 5, 6, 9). The employee confirms on Wednesday 4 November (within the 3 calendar days):
// the clock stood still on 3 and 4 November, two working days, so the due date is Wednesday 11 November.
const SUBMITTED = at('2026-11-02T10:00:00');
const CONFIRMED = at('2026-11-04T10:00:00');
const WITHOUT_PAUSE = at('2026-11-09T23:59:59.999');
const ACCEPTANCE_DUE = at('2026-11-11T23:59:59.999');

describe("A second party's confirmation stops the clock of the clerk's task, on the movable clock", function () {
  this.timeout(180_000);
  let server: TestServer;
  let restoreWallClock: () => void;

  before(async () => {
    restoreWallClock = setWallClock(SUBMITTED);
    server = await startTestServer({ tokenTtlSeconds: 30 * DAY_S });
  });
  after(async () => {
    await server?.close();
    restoreWallClock?.();
  });

  it('a flawed change of employer, confirmed two working days after submission, is to be accepted two working days later', async () => {
    const knex = server.running.platform.db.knex;
    const enterprise = await server.login('enterprise3');
    const id = await submitFlawedEmployerChange(server, async (applicationId) => {
      // The clock stands still from the moment the process records that it waits (its status job): only then two days pass.
      await eventually(
        async () => (await server.request('GET', `/api/v1/applications/${applicationId}`, { token: enterprise })).body.status,
        (status) => status === 'awaiting_confirmation',
        30_000,
      );
      server.clock.advance(CONFIRMED.getTime() - server.clock.now().getTime());
      await embedded(server.running.platform).tick();
    });

    const clerk = await server.login('clerk.transport');
    const acceptance = (
      await eventually(
        async () => (await server.request('GET', '/api/v1/tasks', { token: clerk })).body as any[],
        (tasks) => tasks.some((t) => t.application?.id === id),
        60_000,
      )
    ).find((t) => t.application?.id === id);
    expect(acceptance.formId).to.equal('common-clerk-acceptance');
    expect(acceptance.dueDate, 'not the 9 November of a clock that never stopped').not.to.equal(WITHOUT_PAUSE.toISOString());
    expect(acceptance.dueDate).to.equal(ACCEPTANCE_DUE.toISOString());
    const row = await knex('tasks').where({ key: acceptance.id }).first('instance_key');
    const pauses = (await embedded(server.running.platform).getInstance(String(row.instance_key)))!.variables.pauses as any[];
    expect(pauses.map((p) => [shanghaiDate(new Date(p.from)), shanghaiDate(new Date(p.to)), p.kind])).to.deep.equal([
      ['2026-11-02', '2026-11-04', 'confirmation'],
    ]);
  });
});
