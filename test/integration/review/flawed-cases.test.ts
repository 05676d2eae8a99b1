import { expect } from 'chai';
import { applicantSteps, pointsAndSeverities } from '../../support/applicant';
import { businessLicencePdf, idCardPhoto, licencePhoto, personRow } from '../../support/documents';
import { enterpriseRepresentative, HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';
import { startTestServer, type TestServer } from '../../support/server';

const HYGIENE = 'public-place-hygiene-permit';
const PUBLICATION = 'publication-licence-reissue';
const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';
const ENTERPRISE1 = '91110000600037341L';
const EXPIRED_ON = '2026-01-31';

const PUBLICATION_FORM = {
  reissueCopies: 'original',
  lossDate: '2026-11-01',
  lossCircumstances: '店内漏水致许可证正本污损',
  contactName: '陈晓东',
  contactPhone: '13912345678',
  statementAccepted: true,
};

/**
 * Issue 5's flawed cases end to end, each with exactly its findings (points and severities): a name that does not
 * match the document uploaded, an expired licence. Real OCR, real review tables, real workers, through the API.
 */
describe('Review end to end: flawed cases get exactly their findings', function () {
  this.timeout(180_000);
  let server: TestServer;
  let steps: ReturnType<typeof applicantSteps>;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    server = await startTestServer();
    steps = applicantSteps(server);
  });
  after(() => server?.close());

  /** The licence expired (its end date past) while the draft waited, restored afterwards. */
  async function whileExpired<T>(licenseId: string, run: () => Promise<T>): Promise<T> {
    const held = await knex()('licenses').where({ id: licenseId }).first('valid_until');
    await knex()('licenses').where({ id: licenseId }).update({ valid_until: EXPIRED_ON });
    try {
      return await run();
    } finally {
      await knex()('licenses').where({ id: licenseId }).update({ valid_until: held.valid_until });
    }
  }

  describe('dangerous-goods staff change of employer', () => {
    const employ = async () => {
      const application = await steps.draft('enterprise3', DANGEROUS_GOODS, 'apply', {
        staffCategory: 'driver',
        certificateOrigin: 'local',
      });
      await steps.fill(application.token, application.id, {
        staffIdNumber: EMPLOYEE_ID,
        employmentStart: '2026-11-20',
        contactName: '王敏',
        contactPhone: '13800001111',
      });
      return application;
    };

    it("self-check of a clean draft: passes, not waiting for the employee's confirmation (asked after submission)", async () => {
      const { token, id } = await employ();
      await steps.upload(token, id, 'DG-02', await idCardPhoto(await personRow(knex(), EMPLOYEE_ID)));
      const precheck = await steps.precheck(token, id);
      expect(precheck.findings).to.deep.equal([]);
      expect(precheck.passed).to.equal(true);
    });

    it("a qualification number of someone else's certificate is found as theirs: DG-R03, not held by the employee", async () => {
      const stranger = '11010519491231002X';
      const held = await knex()('licenses').where({ holder_code: stranger, type_name: '道路运输从业人员从业资格证' }).first('id');
      expect(held, 'the stranger holds no qualification, so the number is typed, not filled from the library').to.equal(undefined);
      const { token, id } = await steps.draft('enterprise3', DANGEROUS_GOODS, 'apply', {
        staffCategory: 'driver',
        certificateOrigin: 'local',
      });
      // Typing the ID number fills (or empties) the person's fields from the registries; the certificate is typed after.
      await steps.fill(token, id, { staffIdNumber: stranger });
      await steps.fill(token, id, {
        qualificationNumber: EMPLOYEE_ID,
        qualificationCategory: '道路危险货物运输驾驶员',
        qualificationValidUntil: '2030-01-31',
      });
      const notHeld = (await steps.precheck(token, id)).findings.filter((f) => f.point === 'DG-R03');
      expect(notHeld).to.have.length(1);
      expect(notHeld[0]).to.include({ severity: 'block', field: 'qualificationNumber' });
      expect(notHeld[0].message).to.contain('持证人');
    });

    it("name mismatch: the employee's ID card names someone else - to a clerk with DG-R08 alone, the field named", async () => {
      const { token, id } = await employ();
      await steps.upload(token, id, 'DG-02', await idCardPhoto({ ...(await personRow(knex(), EMPLOYEE_ID)), name: '王建国' }));
      await steps.submit(token, id);
      await steps.confirmAs('applicant1', id);
      const view = await steps.settled(token, id);
      expect(view.status).to.equal('manual_review');
      expect(pointsAndSeverities(view.findings)).to.deep.equal(['DG-R08:block']);
      expect(view.findings[0]).to.include({ field: 'staffName' });
      expect(view.findings[0].message).to.contain('王建国');
      await steps.withdraw(token, id);
    });
  });

  describe('publication licence reissue', () => {
    const reissue = async () => {
      const application = await steps.draft('enterprise1', PUBLICATION, 'apply', {
        registrationChanged: 'no',
        lossType: 'damaged',
        agent: 'self',
      });
      await steps.fill(application.token, application.id, PUBLICATION_FORM);
      await steps.upload(application.token, application.id, 'PUB-05', await licencePhoto(knex(), application.body.licenseId));
      return application;
    };

    it('name mismatch: the business licence uploaded names another unit - to a clerk with PUB-R08 alone, the field named', async () => {
      const { token, id } = await reissue();
      const pdf = await businessLicencePdf(knex(), ENTERPRISE1, { name: '北京书香文化发展有限公司' });
      // Read from its text layer, at upload or (the pool busy) by the process's ocr task before the review.
      await steps.upload(token, id, 'PUB-02', pdf, 'application/pdf');
      await steps.submit(token, id);
      const view = await steps.settled(token, id);
      expect(view.status).to.equal('manual_review');
      expect(pointsAndSeverities(view.findings)).to.deep.equal(['PUB-R08:block']);
      expect(view.findings[0]).to.include({ field: 'unitName' });
      expect(view.findings[0].message).to.contain('北京书香文化发展有限公司');
      await steps.withdraw(token, id);
    });

    it('expired licence: the self-check names PUB-R01 alone, with the date', async () => {
      const { token, id, body } = await reissue();
      const precheck = await whileExpired(body.licenseId, () => steps.precheck(token, id));
      expect(pointsAndSeverities(precheck.findings)).to.deep.equal(['PUB-R01:block']);
      expect(precheck.findings[0]).to.include({ field: 'licenseNumber' });
      expect(precheck.findings[0].message).to.contain(EXPIRED_ON);
    });
  });

  describe('public-place hygiene permit', () => {
    it('expired licence, change: the self-check names HP-R02 alone, with the date', async () => {
      const { token, id, body } = await steps.draft('enterprise1', HYGIENE, 'change', {
        changeItems: ['legal-representative'],
        agent: 'self',
      });
      await steps.fill(token, id, HYGIENE_CHANGE_FORM);
      await steps.upload(token, id, 'HP-13', await idCardPhoto(await enterpriseRepresentative(knex())));
      const precheck = await whileExpired(body.licenseId, () => steps.precheck(token, id));
      expect(pointsAndSeverities(precheck.findings)).to.deep.equal(['HP-R02:block']);
      expect(precheck.findings[0].message).to.contain(EXPIRED_ON).and.contain('不能变更');
    });

    it('expired licence, renew: the self-check names HP-R02 alone, with the date', async () => {
      const { token, id, body } = await steps.hygieneRenewal('enterprise1');
      expect((await steps.precheck(token, id)).findings).to.deep.equal([]);
      const precheck = await whileExpired(body.licenseId, () => steps.precheck(token, id));
      expect(pointsAndSeverities(precheck.findings)).to.deep.equal(['HP-R02:block']);
      expect(precheck.findings[0].message).to.contain(EXPIRED_ON).and.contain('不能延续');
    });
  });
});
