import { expect } from 'chai';
import { shanghaiDate } from '../../../server/calendar/local-date';
import { idCardPhoto, personRow } from '../../support/documents';
import { embedded, eventually } from '../../support/engine';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';
import { startTestServer, type TestServer } from '../../support/server';
import { setWallClock } from '../../support/wall-clock';

const HYGIENE = 'public-place-hygiene-permit';
const DAY_S = 86_400;
const at = (shanghaiTime: string) => new Date(`${shanghaiTime}+08:00`);

/*
 * The 2026 calendar around 国庆 (processes/common/holidays.json, the State Council notice of 4 November 2025):
 * 中秋 Fri 25 – Sun 27 Sep off; Mon 28 – Wed 30 Sep working; 国庆 Thu 1 – Wed 7 Oct off; Sun 20 Sep and Sat 10 Oct are
 * made working days (调休); Sun 11 Oct is off. Limits count in working days from the day after their start, each day
 * until 23:59:59.999 Shanghai time.
 */
const SUBMITTED = at('2026-09-30T16:00:00');
// Acceptance (受理) within the statutory 5 working days: 8, 9, 10 (the make-up Saturday), 12 and 13 October; 80% of
// five days is four whole days, so the warning is at the end of the fourth, 12 October.
const ACCEPTANCE_DUE = at('2026-10-13T23:59:59.999');
const ACCEPTANCE_WARN = at('2026-10-12T23:59:59.999');
// A change of the hygiene permit promises 1 working day from acceptance (the same afternoon): 1 – 7 October are
// holidays, so that day is Thursday 8 October; the warning comes at 80% of it (19.2 h), 19:12.
const FIRST_DUE = at('2026-10-08T23:59:59.999');
const FIRST_WARN = at('2026-10-08T19:12:00');
// Returned on 30 Sep, corrected on Monday 12 Oct at 10:00: the pause takes out the working days after the day it
// starts, up to and including the day it ends: 8, 9, 10 (the make-up Saturday) and 12 Oct, four of them (1 – 7 and
// 11 Oct are days off either way).
const CORRECTED = at('2026-10-12T10:00:00');
// The one working day is then the first after the pause, Tuesday 13 Oct: 8 Oct moved by exactly those 4 working
// days (9, 10, 12, 13 Oct), and the warning at 19:12 that day.
const SECOND_DUE = at('2026-10-13T23:59:59.999');
const SECOND_WARN = at('2026-10-13T19:12:00');

describe("Deadlines of the clerk's tasks across 国庆 2026 and a pause for corrections, on the movable clock", function () {
  this.timeout(240_000);
  let server: TestServer;
  let restoreWallClock: () => void;
  let enterprise: string;
  let clerk: string;
  let caseId: string;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    restoreWallClock = setWallClock(SUBMITTED);
    // Tokens outlive the fortnight the clock is moved through.
    server = await startTestServer({ tokenTtlSeconds: 30 * DAY_S });
    enterprise = await server.login('enterprise1');
    clerk = await server.login('clerk.health');
  });
  after(async () => {
    await server?.close();
    restoreWallClock?.();
  });

  /** Moves the platform clock to a Shanghai time and fires the timers then due. */
  const moveTo = async (instant: Date) => {
    server.clock.advance(instant.getTime() - server.clock.now().getTime());
    await embedded(server.running.platform).tick();
  };
  const tasksOfCase = async (query = '') => {
    const reply = await server.request('GET', `/api/v1/tasks${query}`, { token: clerk });
    expect(reply.status, reply.text).to.equal(200);
    return (reply.body as any[]).filter((t) => t.application?.id === caseId);
  };
  /** The case's one open task, once it is the one with that form. */
  const openTask = (formId: string) =>
    eventually(
      () => tasksOfCase(),
      (list) => list.length === 1 && list[0].formId === formId,
      60_000,
    ).then((list) => list[0]);
  /** The pauses the process handed the deadline worker: the variables of the task's instance. */
  const pausesOf = async (taskId: string) => {
    const task = await knex()('tasks').where({ key: taskId }).first('instance_key');
    return (await embedded(server.running.platform).getInstance(String(task.instance_key)))!.variables.pauses;
  };
  const complete = async (taskId: string, json: Record<string, unknown>) => {
    expect((await server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: clerk })).status).to.equal(200);
    const reply = await server.request('POST', `/api/v1/tasks/${taskId}/complete`, { token: clerk, json });
    expect(reply.status, reply.text).to.equal(200);
  };
  const reminders = async (): Promise<{ recipient: string; text: string }[]> =>
    knex()('notifications').where({ application_id: caseId, template: 'review-due-soon' }).select('recipient', 'text');
  const breaches = async () => {
    const reply = await server.request('GET', '/api/v1/metrics?from=2026-09-01&to=2026-10-31', { token: await server.login('admin') });
    expect(reply.status, reply.text).to.equal(200);
    return reply.body.matters.find((m: any) => m.matter === HYGIENE).deadlineBreaches as number;
  };

  it('a flawed case submitted on 30 September is to be accepted within 5 working days: by 13 October, the make-up Saturday counted', async () => {
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    caseId = created.body.id;
    // Changed before the case is submitted (the clock stands at 2026-09-30).
    const form = { ...HYGIENE_CHANGE_FORM, changeReason: '原法定代表人调任', registrationChangeDate: '2026-09-15' };
    expect((await server.request('PATCH', `/api/v1/applications/${caseId}`, { token: enterprise, json: { form } })).status).to.equal(200);
    const e = await knex()('enterprises').where({ uscc: '91110000600037341L' }).first('legal_representative_id_number');
    // The ID card of someone else than the registered representative: a blocking finding, so the case goes to a clerk.
    const photo = await idCardPhoto({ ...(await personRow(knex(), e.legal_representative_id_number)), name: '王建国' });
    const body = new FormData();
    body.append('materialCode', 'HP-13');
    body.append('file', new Blob([new Uint8Array(photo)]), 'HP-13.jpg');
    expect((await server.request('POST', `/api/v1/applications/${caseId}/materials`, { token: enterprise, body })).status).to.equal(201);
    const submitted = await server.request('POST', `/api/v1/applications/${caseId}/submit`, {
      token: enterprise,
      headers: { 'idempotency-key': `deadline-${caseId}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);

    const acceptance = await openTask('common-clerk-acceptance');
    expect(acceptance).to.include({ dueDate: ACCEPTANCE_DUE.toISOString(), warnAt: ACCEPTANCE_WARN.toISOString(), overdue: false });
  });

  it('accepted the same afternoon, its review is due on 8 October, the first working day after 国庆', async () => {
    await complete((await openTask('common-clerk-acceptance')).id, { decision: 'accept', comment: '材料齐全，予以受理' });
    const task = await openTask('common-clerk-review');
    expect(task).to.include({ dueDate: FIRST_DUE.toISOString(), warnAt: FIRST_WARN.toISOString(), overdue: false });
  });

  it('returned for corrections, it neither warns nor breaches while the clock is stopped over its first due date', async () => {
    await complete((await openTask('common-clerk-review')).id, {
      decision: 'return',
      comment: '身份证明与登记信息不符',
      corrections: [{ material: 'HP-13', reason: '请上传法定代表人本人的身份证' }],
    });
    await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${caseId}`, { token: enterprise })).body.status,
      (status) => status === 'returned',
      30_000,
    );

    await moveTo(CORRECTED);
    expect(await tasksOfCase('?overdue=true')).to.deep.equal([]);
    expect(await reminders()).to.deep.equal([]);
    expect(await breaches()).to.equal(0);
  });

  it('corrected on 12 October, the review is due 4 working days later: the working days of the pause, exactly', async () => {
    const corrected = await server.request('POST', `/api/v1/applications/${caseId}/corrections`, { token: enterprise, json: {} });
    expect(corrected.status, corrected.text).to.equal(202);
    // Already accepted: straight back to the review, its limit still counted from acceptance.
    const task = await openTask('common-clerk-review');
    expect(task).to.include({ dueDate: SECOND_DUE.toISOString(), warnAt: SECOND_WARN.toISOString(), overdue: false });
    const pauses = (await pausesOf(task.id)) as { from: string; to: string; kind: string }[];
    const days = (p: (typeof pauses)[number]) => [shanghaiDate(new Date(p.from)), shanghaiDate(new Date(p.to)), p.kind];
    expect(pauses.map(days)).to.deep.equal([['2026-09-30', '2026-10-12', 'correction']]);
  });

  it('warns the department when the clock passes 80% of the time, and not a second before', async () => {
    await moveTo(new Date(SECOND_WARN.getTime() - 1000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await reminders()).to.deep.equal([]);

    await moveTo(new Date(SECOND_WARN.getTime() + 1000));
    const sent = await eventually(
      () => reminders(),
      (texts) => texts.length > 0,
      30_000,
    );
    expect(sent).to.have.length(1);
    expect(sent[0].recipient).to.equal('group:health');
    expect(sent[0].text).to.include('80%');
    const [task] = await tasksOfCase();
    expect(task, 'the reminder leaves the task open').to.include({ state: 'open', overdue: false, dueDate: SECOND_DUE.toISOString() });
    // The worklist flags a task near its due date (临近期限) once the clock has passed its warnAt.
    expect(new Date(task.warnAt).getTime()).to.be.below(server.clock.now().getTime());
    expect(task.dueSoon).to.equal(true);
    // Priority up: the reminder raises the task from 50 to 75.
    const raised = await eventually(
      async () => (await tasksOfCase())[0],
      (t) => t.priority === 75,
      30_000,
    );
    expect(raised.id).to.equal(task.id);
  });

  it('past its due date the task is flagged overdue in the worklist and counted as a deadline breach', async () => {
    await moveTo(at('2026-10-14T00:00:01'));
    const overdue = await tasksOfCase('?overdue=true');
    expect(overdue).to.have.length(1);
    expect(overdue[0]).to.include({ overdue: true, dueSoon: false, dueDate: SECOND_DUE.toISOString() });
    // The due-date timer tells the department, and raises the priority further.
    await eventually(
      async () => (await tasksOfCase())[0].priority,
      (priority) => priority === 90,
      30_000,
    );
    expect(await breaches()).to.equal(1);
  });
});
