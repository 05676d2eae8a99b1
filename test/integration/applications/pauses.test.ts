import { expect } from 'chai';
import { pausesOf } from '../../../server/applications/pauses';
import { startTestServer, type TestServer } from '../../support/server';

/** The deadline clock's pauses read from the timeline (server/applications/pauses.ts). */
describe('Pauses of the deadline clock', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  const knex = () => server.running.platform.db.knex;
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 2, 0, 0) + ms);
  async function application(events: { ms: number; kind: string; status?: string; data?: Record<string, unknown> }[]) {
    const id = `PAUSES-${Math.random().toString(36).slice(2)}`;
    await knex()('applications').insert({
      id,
      matter_slug: 'dangerous-goods-staff-employer-change',
      action: 'apply',
      department: 'transport',
      applicant_id: 'enterprise3',
      status: 'reviewing',
      resume_code: `RC-${id}`,
      created_at: at(0),
      updated_at: at(0),
    });
    for (const e of events)
      await knex()('application_events').insert({
        application_id: id,
        at: at(e.ms),
        kind: e.kind,
        status: e.status ?? null,
        message: e.kind,
        data: JSON.stringify(e.data ?? {}),
      });
    return id;
  }

  it('counts a confirmation and a suspension from their start to their end', async () => {
    const id = await application([
      { ms: 0, kind: 'status', status: 'awaiting_confirmation' },
      { ms: 60_000, kind: 'confirmation' },
      { ms: 120_000, kind: 'suspension', data: { reason: '等待检测' } },
      { ms: 180_000, kind: 'resumption' },
    ]);
    expect(await pausesOf(knex(), id, at(240_000))).to.deep.equal([
      { from: at(0).toISOString(), to: at(60_000).toISOString(), kind: 'confirmation' },
      { from: at(120_000).toISOString(), to: at(180_000).toISOString(), kind: 'suspension', reason: '等待检测' },
    ]);
  });

  // Regression: the employee confirmed before the status job recorded that the case waits for them; the answer's
  // `now` was earlier than the pause's start, and the deadline job refused the pause (an incident: no clerk task).
  it('should NOT record a pause that would end before it starts', async () => {
    const id = await application([
      { ms: 0, kind: 'confirmation' },
      { ms: 12, kind: 'status', status: 'awaiting_confirmation' },
    ]);
    expect(await pausesOf(knex(), id, at(0))).to.deep.equal([]);
  });
});
