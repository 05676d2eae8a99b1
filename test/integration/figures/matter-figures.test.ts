import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';

const HYGIENE = 'public-place-hygiene-permit';
const at = (shanghaiTime: string) => new Date(`${shanghaiTime}+08:00`);
const HOUR = 3_600_000;

/**
 * Six hygiene-permit cases of March 2025 with known figures, as the platform records them (applications, their
 * timeline, the audit log's decisions): the figures of GET /metrics are checked against the values worked out by hand.
 */
describe('Figures per matter against known values: percentiles, ratios over all fields and materials, breaches per case', function () {
  this.timeout(60_000);
  let server: TestServer;
  let figures: any;

  // Submitted at 09:00 on 3-8 March; decided after 1, 2, 3, 10 and 20 hours (p50 of five is the third, p90 the fifth);
  // the sixth still under review. Fields 10 each (5 prefilled) and 20 (none): 25/70, where a mean of ratios is 0.417.
  // Materials: the first case 1 (exempted), the others 3 each (none): 1/16, where a mean of ratios is 0.167.
  const CASES = [
    { hours: 1, status: 'approved', automatic: true, fields: [10, 5], materials: [true] },
    { hours: 2, status: 'approved', automatic: true, fields: [10, 5], materials: [false, false, false] },
    { hours: 3, status: 'approved', automatic: false, fields: [10, 5], materials: [false, false, false] },
    { hours: 10, status: 'rejected', automatic: false, fields: [10, 5], materials: [false, false, false] },
    { hours: 20, status: 'approved', automatic: false, fields: [10, 5], materials: [false, false, false] },
    { hours: null, status: 'manual_review', automatic: false, fields: [20, 0], materials: [false, false, false] },
  ];
  const idOf = (i: number) => `FIG-${i + 1}`;

  before(async () => {
    server = await startTestServer();
    const { knex } = server.running.platform.db;
    const audit = server.running.platform.audit;
    for (const [i, c] of CASES.entries()) {
      const submitted = at(`2025-03-0${3 + i}T09:00:00`);
      const decided = c.hours === null ? null : new Date(submitted.getTime() + c.hours * HOUR);
      await knex('applications').insert({
        id: idOf(i),
        matter_slug: HYGIENE,
        action: 'change',
        department: 'health',
        applicant_id: 'enterprise1',
        status: c.status,
        resume_code: `RC-${idOf(i)}`,
        case_number: `FIG-CASE-${i + 1}`,
        created_at: submitted,
        updated_at: decided ?? submitted,
        submitted_at: submitted,
        decided_at: decided,
        fields_total: c.fields[0],
        fields_prefilled: c.fields[1],
        material_list: JSON.stringify(
          c.materials.map((exempt, m) => ({ code: `HP-0${m + 1}`, ...(exempt ? { exemptBecause: '电子证照' } : {}) })),
        ),
      });
      if (decided)
        await audit.append({
          actor: c.automatic ? 'process:1' : 'clerk.health',
          action: 'application.decided',
          entityType: 'application',
          entityId: idOf(i),
          data: { status: c.status, basis: { automatic: c.automatic } },
        });
    }
    await audit.flush();

    // The due dates the deadline job set, and what ended the clerks' time against them.
    const event = (i: number, time: string, kind: string, extra: { status?: string; dueDate?: string } = {}) => ({
      application_id: idOf(i),
      at: at(time),
      kind,
      status: extra.status ?? null,
      message: kind,
      data: JSON.stringify(extra.dueDate ? { dueDate: at(extra.dueDate).toISOString() } : {}),
    });
    await knex('application_events').insert([
      // 3: decided a day after its due date, and late already on an earlier one: one case, one breach.
      event(2, '2025-03-05T09:00:00', 'deadline', { dueDate: '2025-03-05T10:00:00' }),
      event(2, '2025-03-05T11:00:00', 'deadline', { dueDate: '2025-03-05T11:30:00' }),
      event(2, '2025-03-05T12:00:00', 'status', { status: 'approved' }),
      // 4: overdue when a suspension interrupted it (its task cancelled), in time after it resumed.
      event(3, '2025-03-06T09:00:00', 'deadline', { dueDate: '2025-03-06T12:00:00' }),
      event(3, '2025-03-06T13:00:00', 'suspension'),
      event(3, '2025-03-06T14:00:00', 'deadline', { dueDate: '2025-03-06T20:00:00' }),
      event(3, '2025-03-06T19:00:00', 'status', { status: 'rejected' }),
      // 5: returned before its due date; corrected and decided within the new one: no breach.
      event(4, '2025-03-07T09:00:00', 'deadline', { dueDate: '2025-03-07T12:00:00' }),
      event(4, '2025-03-07T10:00:00', 'status', { status: 'returned' }),
      event(4, '2025-03-07T20:00:00', 'deadline', { dueDate: '2025-03-08T12:00:00' }),
      event(4, '2025-03-08T05:00:00', 'status', { status: 'approved' }),
      // 6: still under review, its due date long past: a breach until it is decided.
      event(5, '2025-03-08T09:00:00', 'deadline', { dueDate: '2025-03-14T23:59:59.999' }),
    ]);

    const reply = await server.request('GET', '/api/v1/metrics?from=2025-03-01&to=2025-03-31', { token: await server.login('admin') });
    expect(reply.status, reply.text).to.equal(200);
    figures = reply.body.matters.find((m: any) => m.matter === HYGIENE);
  });
  after(() => server?.close());

  it('counts the cases, the decided and those decided with no person: 2 of 5', () => {
    expect(figures).to.include({ applications: 6, decided: 5, autoApproved: 2, autoApprovalRate: 0.4 });
  });

  it('submit to decision: p50 3 hours, p90 20 hours', () => {
    expect(figures.submitToDecisionHours).to.deep.equal({ p50: 3, p90: 20 });
  });

  it('prefill ratio over all fields (25/70) and exemption ratio over all materials (1/16), not means of ratios', () => {
    expect(figures.prefillRatio).to.equal(0.357);
    expect(figures.exemptionRatio).to.equal(0.063);
  });

  it('deadline breaches per case, from the timeline: late once or twice, overdue when suspended, still open past due', () => {
    expect(figures.deadlineBreaches).to.equal(3);
    expect(figures.returns).to.equal(1);
  });
});
