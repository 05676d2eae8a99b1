import { expect } from 'chai';
import { shanghaiDate } from '../../../server/calendar/local-date';
import { idCardPhoto, personRow } from '../../support/documents';
import { embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { setWallClock } from '../../support/wall-clock';

const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';
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
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise,
      json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id;
    const form = { staffIdNumber: EMPLOYEE_ID, employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' };
    expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token: enterprise, json: { form } })).status).to.equal(200);
    // The ID card carries another person's number: a blocking finding, so the case goes to a clerk once confirmed.
    const [employee, other] = [await personRow(knex, EMPLOYEE_ID), await personRow(knex, '11010519491231002X')];
    const card = await idCardPhoto({ ...employee, id_number: other.id_number, birth_date: other.birth_date, sex: other.sex });
    const body = new FormData();
    body.append('materialCode', 'DG-02');
    body.append('file', new Blob([new Uint8Array(card)]), 'DG-02.jpg');
    expect((await server.request('POST', `/api/v1/applications/${id}/materials`, { token: enterprise, body })).status).to.equal(201);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token: enterprise,
      headers: { 'idempotency-key': `confirm-pause-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);

    const staff = await server.login('applicant1');
    const pending = await eventually(
      async () => (await server.request('GET', '/api/v1/confirmations', { token: staff })).body.filter((c: any) => c.applicationId === id),
      (list) => list.length === 1,
      30_000,
    );
    // The clock stands still from the moment the process records that it waits (its status job): only then two days pass.
    await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise })).body.status,
      (status) => status === 'awaiting_confirmation',
      30_000,
    );
    server.clock.advance(CONFIRMED.getTime() - server.clock.now().getTime());
    await embedded(server.running.platform).tick();
    const answered = await server.request('POST', `/api/v1/confirmations/${pending[0].token}`, { token: staff, json: { accept: true } });
    expect(answered.status, answered.text).to.equal(200);

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
