import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const HYGIENE = 'public-place-hygiene-permit';
const HYGIENE_PERMIT = '11100000MB1640886L012';
const RENEW_ANSWERS = { renewChanges: 'none', airConditioning: 'no', agent: 'self' };
const DAY = 86_400_000;

/** What enterprise1 types on a renewal: the figures of the year, its contacts, the commitment. */
const RENEW_FORM = {
  staffCount: 12,
  certifiedStaffCount: 12,
  hygieneManager: '陈晓东',
  hygieneManagerPhone: '13912345678',
  contactName: '陈晓东',
  contactPhone: '13912345678',
  commitmentAccepted: true,
};

const addYearsMinusDay = (date: string, years: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return new Date(d.getTime() - DAY).toISOString().slice(0, 10);
};

/**
 * The renewal (延续) of enterprise1's hygiene permit end to end through the API, on the real processes and workers:
 * within its window it is accepted, reviewed by the health clerks (a renewal is never automatic) and issued as a new
 * version of the licence valid four more years; outside its window guidance and the draft refuse it, saying why.
 */
describe('Applications: renewing the hygiene permit (real server, processes and workers)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let enterprise1: string;
  let clerk: string;

  before(async () => {
    server = await startTestServer();
    enterprise1 = await server.login('enterprise1');
    clerk = await server.login('clerk.health');
  });
  after(() => server?.close());

  const view = async (id: string) => (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 })).body;
  const heldPermit = async () => {
    const list = await server.request('GET', '/api/v1/licenses', { token: enterprise1 });
    expect(list.status, list.text).to.equal(200);
    return (list.body as any[]).find((l) => l.typeCode === HYGIENE_PERMIT && l.status === 'valid');
  };
  const guidance = (licenseId: string) =>
    server.request('POST', `/api/v1/matters/${HYGIENE}/guidance`, {
      token: enterprise1,
      json: { action: 'renew', answers: RENEW_ANSWERS, licenseId },
    });

  async function completeTask(id: string, formId: string, decision: Record<string, unknown>) {
    const task = (
      await eventually(
        async () => (await server.request('GET', '/api/v1/tasks', { token: clerk })).body as any[],
        (list) => list.some((t) => t.application?.id === id && t.formId === formId && t.state !== 'done'),
        60_000,
      )
    ).find((t) => t.application.id === id && t.formId === formId);
    expect((await server.request('POST', `/api/v1/tasks/${task.id}/claim`, { token: clerk })).status).to.equal(200);
    const done = await server.request('POST', `/api/v1/tasks/${task.id}/complete`, { token: clerk, json: decision });
    expect(done.status, done.text).to.equal(200);
  }

  it('within its window: guided, drafted, submitted, accepted and approved by the clerk, issued as a new version valid four more years', async () => {
    const permit = await heldPermit();
    const today = new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const daysLeft = (Date.parse(permit.validUntil) - Date.parse(today)) / DAY;
    expect(daysLeft, 'the demo permit is due for renewal: 30 to 90 days left').to.be.within(30, 90);
    const guided = await guidance(permit.id);
    expect(guided.status, guided.text).to.equal(200);
    expect(guided.body.eligible).to.equal(true);

    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: HYGIENE, action: 'renew', answers: RENEW_ANSWERS, licenseId: permit.id },
    });
    expect(created.status, created.text).to.equal(201);
    const draft = created.body;
    expect(draft.licenseId).to.equal(permit.id);
    expect(draft.form.validUntil).to.deep.equal({ value: permit.validUntil, source: 'license', locked: true });
    expect(draft.prefill.toType).to.have.members(Object.keys(RENEW_FORM));
    const patched = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: enterprise1, json: { form: RENEW_FORM } });
    expect(patched.status, patched.text).to.equal(200);
    const pdf = await PDFDocument.create();
    pdf.addPage();
    const bytes = await pdf.save();
    const toHandIn = (draft.materials as any[]).filter((m) => m.required && !m.exemptBecause && m.channel !== 'generated');
    expect(toHandIn.length).to.be.greaterThan(0);
    for (const m of toHandIn) {
      const body = new FormData();
      body.append('materialCode', m.code);
      body.append('file', new Blob([new Uint8Array(bytes)]), `${m.code}.pdf`);
      const uploaded = await server.request('POST', `/api/v1/applications/${draft.id}/materials`, { token: enterprise1, body });
      expect(uploaded.status, uploaded.text).to.equal(201);
    }
    const submitted = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
      token: enterprise1,
      headers: { 'idempotency-key': `renew-${draft.id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);

    // A renewal is decided by a person: acceptance (受理), then the review.
    await completeTask(draft.id, 'common-clerk-acceptance', { decision: 'accept', comment: '材料齐全，予以受理' });
    await completeTask(draft.id, 'common-clerk-review', { decision: 'approve', comment: '经审查，准予延续' });
    const decided = await eventually(
      () => view(draft.id),
      (v) => v.status === 'approved' && v.result?.licenseId && v.timeline.some((e: any) => e.kind === 'archive'),
      60_000,
    );
    const statuses = decided.timeline.map((e: any) => e.status).filter(Boolean);
    expect(statuses).to.deep.equal(['draft', 'submitted', 'reviewing', 'manual_review', 'approved']);

    const renewed = (await server.request('GET', `/api/v1/licenses/${decided.result.licenseId}`, { token: enterprise1 })).body;
    const validFrom = new Date(Date.parse(permit.validUntil) + DAY).toISOString().slice(0, 10);
    expect(renewed).to.include({
      typeCode: HYGIENE_PERMIT,
      number: permit.number,
      status: 'valid',
      version: permit.version + 1,
      validFrom,
      validUntil: addYearsMinusDay(validFrom, 4),
      relatedIdentifier: permit.identifier,
    });
    const old = (await server.request('GET', `/api/v1/licenses/${permit.id}`, { token: enterprise1 })).body;
    expect(old.status).to.equal('superseded');
  });

  it('outside its window (the permit just renewed has four years left): refused at guidance and at the draft, saying from when', async () => {
    const permit = await heldPermit();
    expect(permit.version, 'the renewed permit').to.be.greaterThan(1);
    const guided = await guidance(permit.id);
    expect(guided.status, guided.text).to.equal(200);
    expect(guided.body.eligible).to.equal(false);
    const [y, m, d] = permit.validUntil.split('-').map(Number);
    const expected = `有效期至${y}年${m}月${d}日`;
    expect(guided.body.reasons.join()).to.include(expected).and.include('起才能申请延续');
    const before = await server.running.platform.db.knex('applications').where({ applicant_id: 'enterprise1' }).count({ n: '*' }).first();
    const refused = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: HYGIENE, action: 'renew', answers: RENEW_ANSWERS, licenseId: permit.id },
    });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.code).to.equal('NOT_ELIGIBLE');
    expect(refused.body.error.message).to.include('不符合申请条件').and.include('起才能申请延续');
    const after = await server.running.platform.db.knex('applications').where({ applicant_id: 'enterprise1' }).count({ n: '*' }).first();
    expect(after).to.deep.equal(before);
  });
});
