import { expect } from 'chai';
import { applicantSteps, pointsAndSeverities } from '../../support/applicant';
import { idCardPhoto, licencePhoto } from '../../support/documents';
import { eventually } from '../../support/engine';
import { enterpriseRepresentative, HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';
import { startTestServer, type TestServer } from '../../support/server';

const HYGIENE = 'public-place-hygiene-permit';
const PUBLICATION = 'publication-licence-reissue';
const EXPIRED_ON = '2026-01-31';
const DAY = 86_400_000;

/**
 * A licence that changes between the draft and the submission, end to end through the real server, processes and
 * workers. The process's prefill task checks the conditions again after submission: a licence expired since the draft
 * is what the review table checks (HP-R02, PUB-R01), so the case is not refused automatically but goes on to review
 * and, on its block finding, to a clerk; only what no review point covers and makes the application impossible (a
 * renewal whose window closed) ends the case, its reason on the timeline and in the notice.
 */
describe('Review end to end: a licence that changed between draft and submission', function () {
  this.timeout(180_000);
  let server: TestServer;
  let steps: ReturnType<typeof applicantSteps>;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    server = await startTestServer();
    steps = applicantSteps(server);
  });
  after(() => server?.close());

  /** Sets the licence's end date in the e-licence library until the case has run its course, then puts it back. */
  async function whileValidUntil<T>(licenseId: string, validUntil: string, run: () => Promise<T>): Promise<T> {
    const held = await knex()('licenses').where({ id: licenseId }).first('valid_until');
    await knex()('licenses').where({ id: licenseId }).update({ valid_until: validUntil });
    try {
      return await run();
    } finally {
      await knex()('licenses').where({ id: licenseId }).update({ valid_until: held.valid_until });
    }
  }

  /** The case put before a clerk is withdrawn, so the next draft for the same licence is not refused as a second one. */
  async function withdraw(token: string, id: string): Promise<void> {
    const reply = await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token });
    expect(reply.status, reply.text).to.equal(200);
  }

  const timelineOf = (view: any) => view.timeline as { kind: string; status?: string; message: string }[];

  it('hygiene-permit change, the permit expired after the draft: to a clerk with exactly HP-R02, the re-check noted', async () => {
    const { token, id, body } = await steps.draft('enterprise1', HYGIENE, 'change', {
      changeItems: ['legal-representative'],
      agent: 'self',
    });
    await steps.fill(token, id, HYGIENE_CHANGE_FORM);
    await steps.upload(token, id, 'HP-13', await idCardPhoto(await enterpriseRepresentative(knex())));
    expect((await steps.precheck(token, id)).findings, 'clean while the permit is valid').to.deep.equal([]);

    const view = await whileValidUntil(body.licenseId, EXPIRED_ON, async () => {
      await steps.submit(token, id);
      return steps.settled(token, id);
    });
    expect(view.status).to.equal('manual_review');
    expect(pointsAndSeverities(view.findings)).to.deep.equal(['HP-R02:block']);
    expect(view.findings[0].message).to.contain(EXPIRED_ON);
    const timeline = timelineOf(view);
    expect(timeline.some((e) => e.status === 'rejected')).to.equal(false);
    const recheck = timeline.filter((e) => e.kind === 'eligibility');
    expect(recheck).to.have.length(1);
    expect(recheck[0].message).to.contain('2026年1月31日到期').and.contain('将在审查中核验');
    const kinds = timeline.map((e) => e.kind);
    expect(kinds.indexOf('eligibility')).to.equal(kinds.indexOf('prefill') + 1);
    expect(kinds.indexOf('review')).to.be.greaterThan(kinds.indexOf('eligibility'));
    await withdraw(token, id);
  });

  it('publication licence reissue, the licence expired after the draft: to a clerk with exactly PUB-R01', async () => {
    const { token, id, body } = await steps.draft('enterprise1', PUBLICATION, 'apply', {
      registrationChanged: 'no',
      lossType: 'damaged',
      agent: 'self',
    });
    await steps.fill(token, id, {
      reissueCopies: 'original',
      lossDate: '2026-11-01',
      lossCircumstances: '店内漏水致许可证正本污损',
      contactName: '陈晓东',
      contactPhone: '13912345678',
      statementAccepted: true,
    });
    await steps.upload(token, id, 'PUB-05', await licencePhoto(knex(), body.licenseId));

    const view = await whileValidUntil(body.licenseId, EXPIRED_ON, async () => {
      await steps.submit(token, id);
      return steps.settled(token, id);
    });
    expect(view.status).to.equal('manual_review');
    expect(pointsAndSeverities(view.findings)).to.deep.equal(['PUB-R01:block']);
    expect(view.findings[0]).to.include({ field: 'licenseNumber' });
    const timeline = timelineOf(view);
    expect(timeline.some((e) => e.status === 'rejected')).to.equal(false);
    expect(timeline.filter((e) => e.kind === 'eligibility').map((e) => e.message)).to.satisfy(
      (messages: string[]) => messages.length === 1 && messages[0].includes('2026年1月31日到期'),
    );
    await withdraw(token, id);
  });

  it('hygiene-permit renewal whose window closed after the draft: not eligible, the reason on the timeline before the refusal and in the notice', async () => {
    const { token, id, body } = await steps.hygieneRenewal('enterprise1');
    // Still valid ten more days, so no review point objects; but a renewal is due 30 days before the end (实施细则第二十五条).
    const tenDaysOn = new Date(server.clock.now().getTime() + 8 * 3_600_000 + 10 * DAY).toISOString().slice(0, 10);
    const [year, month, day] = tenDaysOn.split('-').map(Number);

    const view = await whileValidUntil(body.licenseId, tenDaysOn, async () => {
      await steps.submit(token, id);
      return steps.settled(token, id);
    });
    expect(view.status).to.equal('rejected');
    expect(view.findings ?? []).to.deep.equal([]);
    const timeline = timelineOf(view);
    expect(
      timeline.some((e) => e.kind === 'review'),
      'nothing left to review',
    ).to.equal(false);
    const recheck = timeline.filter((e) => e.kind === 'eligibility');
    expect(recheck).to.have.length(1);
    expect(recheck[0].message)
      .to.contain('不符合申请条件')
      .and.contain(`有效期至${year}年${month}月${day}日`)
      .and.contain('已超过期限，请在到期后按新办重新申请');
    // The refusal follows the re-check that states its reason.
    const decision = timeline.findIndex((e) => e.status === 'rejected');
    expect(timeline[decision].message).to.equal('不予许可：不符合申请条件');
    expect(timeline[decision - 1]).to.equal(recheck[0]);

    const notices = await eventually(
      () => knex()('notifications').where({ application_id: id, template: 'not-eligible' }),
      (rows) => rows.length === 2,
    );
    const { applicant_id: applicantId } = await knex()('applications').where({ id }).first('applicant_id');
    expect(notices.map((n) => `${n.channel}:${n.recipient}`).sort()).to.deep.equal([`inbox:user:${applicantId}`, 'sms:13912345678']);
    for (const notice of notices) expect(notice.text).to.contain(view.caseNumber).and.contain('已超过期限，请在到期后按新办重新申请');
    await server.running.platform.audit.flush();
    const basis = await knex()('audit_log').where({ entity_id: id, action: 'application.not-eligible' }).first('data');
    expect(basis.data.reasons).to.have.length(1);
    expect(basis.data.reasons[0]).to.contain('已超过期限');
  });
});
