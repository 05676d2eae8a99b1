import { expect } from 'chai';
import { decide, openTaskOf, submitFlawedChange } from '../../support/clerk-cases';
import { embedded, eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { setWallClock } from '../../support/wall-clock';

const DAY_S = 86_400;
const at = (shanghaiTime: string) => new Date(`${shanghaiTime}+08:00`);

// Submitted on Monday 2 November 2026: acceptance within 5 working days is due at the end of Monday 9 November, the
// warning at 80% (four whole days) at the end of Friday 6 November. Accepted on 10 November, a change is promised in
// 1 working day: due at the end of 11 November, warned at 19:12 that day; the chief's approval of a rejection keeps it.
const SUBMITTED = at('2026-11-02T10:00:00');
const ACCEPTANCE_WARN = at('2026-11-06T23:59:59.999');
const ACCEPTANCE_DUE = at('2026-11-09T23:59:59.999');
const REVIEW_WARN = at('2026-11-11T19:12:00');

describe('The 80% warning and the overdue flag raise the priority of acceptance and chief tasks too, on the movable clock', function () {
  this.timeout(240_000);
  let server: TestServer;
  let restoreWallClock: () => void;
  let clerk: string;
  let chief: string;
  let caseId: string;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    restoreWallClock = setWallClock(SUBMITTED);
    server = await startTestServer({ tokenTtlSeconds: 30 * DAY_S });
    clerk = await server.login('clerk.health');
    chief = await server.login('chief.health');
    caseId = await submitFlawedChange(server, await server.login('enterprise1'));
  });
  after(async () => {
    await server?.close();
    restoreWallClock?.();
  });

  const moveTo = async (instant: Date) => {
    server.clock.advance(instant.getTime() - server.clock.now().getTime());
    await embedded(server.running.platform).tick();
  };
  const notices = () =>
    knex()('notifications')
      .where({ application_id: caseId })
      .whereIn('template', ['task-due-soon', 'task-overdue'])
      .orderBy('id')
      .select('template', 'recipient');
  const taskNow = async (token: string, formId: string) => openTaskOf(server, token, caseId, formId);

  it('acceptance: priority 50 as made, 75 once 80% of the 5 working days are used, with a reminder to the clerks', async () => {
    const made = await taskNow(clerk, 'common-clerk-acceptance');
    expect(made).to.include({ priority: 50, dueDate: ACCEPTANCE_DUE.toISOString(), warnAt: ACCEPTANCE_WARN.toISOString() });
    await moveTo(new Date(ACCEPTANCE_WARN.getTime() - 1000));
    expect(await notices()).to.deep.equal([]);
    await moveTo(new Date(ACCEPTANCE_WARN.getTime() + 1000));
    const raised = await eventually(
      () => taskNow(clerk, 'common-clerk-acceptance'),
      (t) => t.priority === 75,
      30_000,
    );
    expect(raised).to.include({ dueSoon: true, overdue: false, state: 'open' });
    expect(await notices()).to.deep.equal([{ template: 'task-due-soon', recipient: 'group:health' }]);
  });

  it('overdue: priority 90, found by minPriority and first by sort=priority, and the clerks told it is overdue', async () => {
    await moveTo(at('2026-11-10T00:00:01'));
    const overdue = await eventually(
      () => taskNow(clerk, 'common-clerk-acceptance'),
      (t) => t.priority === 90,
      30_000,
    );
    expect(overdue).to.include({ overdue: true });
    expect(await notices()).to.deep.equal([
      { template: 'task-due-soon', recipient: 'group:health' },
      { template: 'task-overdue', recipient: 'group:health' },
    ]);
    const urgent = await server.request('GET', '/api/v1/tasks?minPriority=90&sort=priority', { token: clerk });
    expect(urgent.status, urgent.text).to.equal(200);
    expect(urgent.body.map((t: any) => t.id)).to.deep.equal([overdue.id]);
    expect((await server.request('GET', '/api/v1/tasks?minPriority=91', { token: clerk })).headers.get('x-total-count')).to.equal('0');
  });

  it("the chief's approval of a proposed rejection is warned at 80% of the review's time and its priority raised", async () => {
    const acceptance = await taskNow(clerk, 'common-clerk-acceptance');
    expect((await decide(server, clerk, acceptance.id, { decision: 'accept', comment: '予以受理' })).status).to.equal(200);
    const review = await taskNow(clerk, 'common-clerk-review');
    expect(review).to.include({ priority: 50, warnAt: REVIEW_WARN.toISOString() });
    expect((await decide(server, clerk, review.id, { decision: 'reject', comment: '法定代表人身份证明不符' })).status).to.equal(200);
    const approval = await taskNow(chief, 'common-chief-approval');
    expect(approval).to.include({ priority: 50, warnAt: REVIEW_WARN.toISOString() });
    await moveTo(new Date(REVIEW_WARN.getTime() + 1000));
    const raised = await eventually(
      () => taskNow(chief, 'common-chief-approval'),
      (t) => t.priority === 75,
      30_000,
    );
    expect(raised).to.include({ id: approval.id, dueSoon: true });
    expect((await notices()).map((n: { template: string }) => n.template)).to.deep.equal([
      'task-due-soon',
      'task-overdue',
      'task-due-soon',
    ]);
  });
});
