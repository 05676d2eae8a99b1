import { expect } from 'chai';
import { decide, openTaskOf, submitFlawedEmployerChange } from '../../support/clerk-cases';
import { startTestServer, type Reply, type TestServer } from '../../support/server';

/** Feature: the worklist in pages (keyset, `limit` and `after`), with the true count, on the embedded engine. */
describe('Worklist paging: X-Total-Count counts every match, X-Next-Cursor leads on until the last page', function () {
  this.timeout(180_000);
  let server: TestServer;
  let clerk: string;
  const cases: string[] = [];

  before(async () => {
    server = await startTestServer();
    clerk = await server.login('clerk.transport');
    for (let i = 0; i < 3; i++) cases.push(await submitFlawedEmployerChange(server));
    for (const id of cases) await openTaskOf(server, clerk, id, 'common-clerk-acceptance');
  });
  after(() => server?.close());

  /** Every page of the list, two at a time, with the count each page gave. */
  const walk = async (query: string) => {
    const pages: { ids: string[]; total: number; next: string | null }[] = [];
    let after: string | null = null;
    do {
      const reply: Reply = await server.request(
        'GET',
        `/api/v1/tasks?limit=2${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        {
          token: clerk,
        },
      );
      expect(reply.status, reply.text).to.equal(200);
      after = reply.headers.get('x-next-cursor');
      pages.push({ ids: reply.body.map((t: { id: string }) => t.id), total: Number(reply.headers.get('x-total-count')), next: after });
    } while (after && pages.length < 10);
    return pages;
  };

  it('open tasks: three acceptances in two pages of the due-date order, each counted once', async () => {
    const whole = await server.request('GET', '/api/v1/tasks', { token: clerk });
    expect(whole.headers.get('x-total-count')).to.equal('3');
    expect(whole.headers.get('x-next-cursor')).to.equal(null);
    const pages = await walk('');
    expect(pages.map((p) => p.ids.length)).to.deep.equal([2, 1]);
    expect(pages.map((p) => p.total)).to.deep.equal([3, 3]);
    expect(pages.flatMap((p) => p.ids)).to.deep.equal(whole.body.map((t: { id: string }) => t.id));
    const dues = whole.body.map((t: { dueDate: string }) => t.dueDate);
    expect(dues).to.deep.equal([...dues].sort());
  });

  it("application=<id>: the case's own open task in one call, counted alone; another department's case has none for the clerk", async () => {
    const [, second] = cases;
    const found = await server.request('GET', `/api/v1/tasks?application=${second}`, { token: clerk });
    expect(found.status, found.text).to.equal(200);
    expect(found.headers.get('x-total-count')).to.equal('1');
    expect(found.body.map((t: any) => [t.application.id, t.formId])).to.deep.equal([[second, 'common-clerk-acceptance']]);
    const health = await server.login('clerk.health');
    const hidden = await server.request('GET', `/api/v1/tasks?application=${second}`, { token: health });
    expect(hidden.status, hidden.text).to.equal(200);
    expect(hidden.body).to.deep.equal([]);
    expect(hidden.headers.get('x-total-count')).to.equal('0');
  });

  it('done tasks page newest first; the filters count what they match, not what one page shows', async () => {
    for (const id of cases) {
      const acceptance = await openTaskOf(server, clerk, id, 'common-clerk-acceptance');
      expect((await decide(server, clerk, acceptance.id, { decision: 'accept', comment: '予以受理' })).status).to.equal(200);
      server.clock.advance(60_000);
    }
    for (const id of cases) await openTaskOf(server, clerk, id, 'common-clerk-review');
    const done = await walk('&state=done');
    expect(done.map((p) => p.ids.length)).to.deep.equal([2, 1]);
    expect(done[0].total).to.equal(3);
    const whole = (await server.request('GET', '/api/v1/tasks?state=done', { token: clerk })).body;
    expect(done.flatMap((p) => p.ids)).to.deep.equal(whole.map((t: { id: string }) => t.id));
    const completed = whole.map((t: { completedAt: string }) => t.completedAt);
    expect(completed).to.deep.equal([...completed].sort().reverse());
    expect(whole.map((t: { application: { id: string } }) => t.application.id)).to.deep.equal([...cases].reverse());

    const open = await walk('');
    expect(open.map((p) => p.ids.length)).to.deep.equal([2, 1]);
    const mine = await server.request('GET', '/api/v1/tasks?assignee=me&state=claimed&limit=1', { token: clerk });
    expect(mine.headers.get('x-total-count')).to.equal('0');
    const review = await openTaskOf(server, clerk, cases[0], 'common-clerk-review');
    await server.request('POST', `/api/v1/tasks/${review.id}/claim`, { token: clerk });
    const claimed = await server.request('GET', '/api/v1/tasks?state=claimed&limit=1', { token: clerk });
    expect(claimed.headers.get('x-total-count')).to.equal('1');
    expect(claimed.headers.get('x-next-cursor')).to.equal(null);
  });

  it('refuses a page size out of 1-500 and a cursor not of this list (400), and a health clerk counts none of these', async () => {
    for (const limit of ['0', '501', 'ten'])
      expect((await server.request('GET', `/api/v1/tasks?limit=${limit}`, { token: clerk })).status, limit).to.equal(400);
    expect((await server.request('GET', '/api/v1/tasks?after=not-a-cursor', { token: clerk })).status).to.equal(400);
    const first = await server.request('GET', '/api/v1/tasks?limit=1', { token: clerk });
    const cursor = first.headers.get('x-next-cursor')!;
    const otherOrder = await server.request('GET', `/api/v1/tasks?state=done&after=${encodeURIComponent(cursor)}`, { token: clerk });
    expect(otherOrder.status).to.equal(400);
    expect(otherOrder.body.error.details[0].field).to.equal('query.after');
    const health = await server.request('GET', '/api/v1/tasks', { token: await server.login('clerk.health') });
    expect(health.headers.get('x-total-count')).to.equal('0');
  });
});
