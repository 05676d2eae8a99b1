import { expect } from 'chai';
import { complete } from '../../../workers/worker';
import { verifyPdf } from '../../../workers/esign/index';
import { publishLicense } from '../../../server/issuing/publish';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';

/**
 * Issuing on the real server: the real esign and license-publish workers sign with the department's development
 * certificate and write the e-licence library. OCR, the review and the archive are scripted here (they have tests of
 * their own): every case reviewed clean.
 */
describe('Issuing: signed licences published to the e-licence library, and their public verification', function () {
  this.timeout(90_000);
  let server: TestServer;
  let enterprise1: string;

  before(async () => {
    server = await startTestServer({ disabledWorkers: ['ocr', 'review', 'archive'] });
    const engine = server.running.platform.engine;
    engine.registerWorker({ type: 'ocr', handler: async () => complete({ ocr: { materials: 0, lowConfidence: [] } }) });
    engine.registerWorker({ type: 'review', handler: async () => complete({ review: { passed: true, findings: [], tableVersion: 1 } }) });
    engine.registerWorker({ type: 'archive', handler: async (job) => complete({ archiveId: `test-${job.variables.applicationId}` }) });
    enterprise1 = await server.login('enterprise1');
  });
  after(() => server?.close());

  const knex = () => server.running.platform.db.knex;

  async function submit(token: string, matter: string, action: string, answers: Record<string, unknown>, typed: Record<string, unknown>) {
    const created = await server.request('POST', '/api/v1/applications', { token, json: { matter, action, answers } });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id;
    const patched = await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form: typed } });
    expect(patched.status, patched.text).to.equal(200);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `k-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    return { id, licenseId: created.body.licenseId as string | null };
  }

  const decided = (id: string, token = enterprise1) =>
    eventually(
      () => server.request('GET', `/api/v1/applications/${id}`, { token }),
      (reply) => reply.body.result !== null && ['approved', 'rejected'].includes(reply.body.status),
      20_000,
    );

  let changed: { id: string; oldLicenseId: string; newLicenseId: string };

  it('a hygiene-permit change approved automatically: a new version of the permit, signed, the old one superseded', async () => {
    const { id, licenseId } = await submit(
      enterprise1,
      HYGIENE,
      'change',
      { changeItems: ['legal-representative'], agent: 'self' },
      HYGIENE_CHANGE_FORM,
    );
    const view = await decided(id);
    expect(view.body.status).to.equal('approved');
    const newLicenseId = view.body.result.licenseId;
    changed = { id, oldLicenseId: licenseId!, newLicenseId };
    const fresh = await server.request('GET', `/api/v1/licenses/${newLicenseId}`, { token: enterprise1 });
    const old = await server.request('GET', `/api/v1/licenses/${licenseId}`, { token: enterprise1 });
    expect(old.body.status).to.equal('superseded');
    expect(fresh.body).to.include({
      status: 'valid',
      version: old.body.version + 1,
      relatedIdentifier: old.body.identifier,
      number: old.body.number,
    });
    expect(fresh.body.validUntil).to.equal(old.body.validUntil);
    expect(fresh.body.identifier).to.match(/\.00\d\.[0-9A-Z*]$/);
    expect(fresh.body.data.legalRepresentative).to.equal(view.body.form.legalRepresentative.value);
    expect(view.body.result.documents.map((d: any) => d.kind).sort()).to.deep.equal(['decision', 'licence']);
    expect(view.body.timeline.map((e: any) => e.kind)).to.include.members(['documents', 'license']);

    const pdf = await server.request('GET', `/api/v1/licenses/${newLicenseId}/pdf`, { token: enterprise1 });
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('content-type')).to.equal('application/pdf');
    const stored = await server.running.platform.storage.get(fresh.body.documentSha256);
    const report = verifyPdf(stored, { trustAnchors: await server.running.platform.keyStore.trustAnchors() });
    expect(report.signatures).to.have.length(1);
    expect(report.signatures[0]).to.include({ valid: true, chainTrusted: true, coversWholeDocument: true });
    expect(report.signatures[0].signer!.organization).to.equal('北京市东城区卫生健康委员会');
    await server.running.platform.audit.flush();
    const audit = await knex()('audit_log').where({ action: 'application.decided', entity_id: id }).first('data');
    expect(audit.data.basis).to.deep.include({ automatic: true });
    expect(audit.data.basis.review).to.deep.include({ passed: true, tableVersion: 1 });
  });

  it('publishing again (a worker that crashed after publishing) issues nothing twice', async () => {
    const before = await knex()('licenses').where({ application_id: changed.id }).count<{ n: string }[]>('id as n');
    const again = await publishLicense({ ...server.running.platform, knex: knex(), publicUrl: 'http://x' })(changed.id);
    expect(again).to.deep.equal({ kind: 'published', licenseId: changed.newLicenseId });
    const after = await knex()('licenses').where({ application_id: changed.id }).count<{ n: string }[]>('id as n');
    expect(after[0].n).to.equal(before[0].n);
    expect(Number(after[0].n)).to.equal(1);
  });

  it('verifies a licence publicly: valid with the holder masked, superseded for the old version, a page for a person, 404 for an unknown id', async () => {
    const fresh = await server.request('GET', `/api/v1/licenses/${changed.newLicenseId}/verify`);
    expect(fresh.status).to.equal(200);
    expect(fresh.body).to.include({ valid: true, status: 'valid', type: '公共场所卫生许可证' });
    expect(fresh.body.holderName).to.include('*').and.not.equal('上海明德餐饮管理有限公司');
    expect(fresh.body.signature).to.include({ valid: true, documentMatches: true, trusted: true });
    const old = await server.request('GET', `/api/v1/licenses/${changed.oldLicenseId}/verify`);
    expect(old.body).to.include({ valid: false, status: 'superseded' });
    const page = await server.request('GET', `/api/v1/licenses/${changed.newLicenseId}/verify`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(page.text).to.include('该证照真实有效');
    expect((await server.request('GET', '/api/v1/licenses/no-such-licence/verify')).status).to.equal(404);
  });

  it('verifies a PDF someone received, and one byte changed fails', async () => {
    const license = await knex()('licenses').where({ id: changed.newLicenseId }).first('document_sha256');
    const bytes = await server.running.platform.storage.get(license.document_sha256);
    const send = (pdf: Buffer) => {
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(pdf)]), 'licence.pdf');
      return server.request('POST', '/api/v1/licenses/verify', { body });
    };
    const intact = await send(bytes);
    expect(intact.status, intact.text).to.equal(200);
    expect(intact.body).to.deep.include({ issuedHere: true, kind: 'licence' });
    expect(intact.body.signature).to.include({ valid: true });
    expect(intact.body.license).to.include({ id: changed.newLicenseId, status: 'valid' });
    const tampered = Buffer.from(bytes);
    const at = tampered.indexOf('/Contents', 0, 'latin1') - 40;
    tampered[at] = tampered[at] === 0x20 ? 0x21 : 0x20;
    const altered = await send(tampered);
    expect(altered.body.signature.valid).to.equal(false);
    expect(altered.body.issuedHere).to.equal(false);
    const notPdf = await send(Buffer.from('MZ this is not a pdf'));
    expect(notPdf.status).to.equal(415);
  });

  it('a publication-licence reissue: the lost licence superseded by a new version with the same number', async () => {
    const { id, licenseId } = await submit(
      enterprise1,
      'publication-licence-reissue',
      'apply',
      { registrationChanged: 'no', lossType: 'lost', agent: 'self' },
      {
        reissueCopies: 'original',
        lossDate: '2026-11-01',
        lossCircumstances: '搬迁时遗失',
        contactName: '陈晓东',
        contactPhone: '13912345678',
        statementAccepted: true,
      },
    );
    const view = await decided(id);
    expect(view.body.status).to.equal('approved');
    const fresh = (await server.request('GET', `/api/v1/licenses/${view.body.result.licenseId}`, { token: enterprise1 })).body;
    const old = (await server.request('GET', `/api/v1/licenses/${licenseId}`, { token: enterprise1 })).body;
    expect(old.status).to.equal('superseded');
    expect(fresh).to.include({ number: old.number, version: old.version + 1, issuerName: old.issuerName });
    const verification = await server.request('GET', `/api/v1/licenses/${licenseId}/verify`);
    expect(verification.body.valid).to.equal(false);
  });

  it('a hygiene-permit cancellation revokes the permit and issues the decision letter only', async () => {
    const { id, licenseId } = await submit(
      enterprise1,
      HYGIENE,
      'cancel',
      { cancelReason: 'stopped', agent: 'self' },
      { stopDate: '2026-11-20', contactName: '陈晓东', contactPhone: '13912345678' },
    );
    const view = await decided(id);
    expect(view.body.status).to.equal('approved');
    expect(view.body.result).to.deep.equal({ revokedLicenseId: licenseId });
    const revoked = (await server.request('GET', `/api/v1/licenses/${licenseId}`, { token: enterprise1 })).body;
    expect(revoked.status).to.equal('revoked');
    const documents = await knex()('documents').where({ application_id: id }).pluck('kind');
    expect(documents).to.deep.equal(['decision']);
  });
});
