import { expect } from 'chai';
import crypto, { type X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createKeyStore, renderLicense, signPdf, verifyPdf, type DepartmentSigner, type SignatureReport } from '../../../workers/esign/index';
import { CREATED_AT, CULTURE, HEALTH, hygienePermit, verifyUrl } from './fixtures';

describe('esign signing and verification', () => {
  let dir: string;
  let health: DepartmentSigner;
  let culture: DepartmentSigner;
  let anchors: X509Certificate[];
  let licence: Uint8Array;
  let signed: Buffer;
  const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
  const sign = (pdf: Uint8Array, signer = health) =>
    signPdf(pdf, signer, { reason: '颁发电子证照', location: '北京市东城区', signingTime });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-sign-'));
    const keys = createKeyStore({ devCaDir: dir });
    [health, culture] = await keys.prepare([HEALTH, CULTURE]);
    anchors = await keys.trustAnchors();
    licence = await renderLicense(hygienePermit(), { verifyUrl: verifyUrl('L-1'), createdAt: CREATED_AT });
    signed = await sign(licence);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const only = (pdf: Uint8Array): SignatureReport => {
    const { signatures } = verifyPdf(pdf, { trustAnchors: anchors });
    expect(signatures).to.have.length(1);
    return signatures[0];
  };

  it('signs as the department, PAdES (ETSI.CAdES.detached), over the whole document, trusted through the CA', () => {
    const report = only(signed);
    expect(report).to.deep.include({
      valid: true,
      problems: [],
      subFilter: 'ETSI.CAdES.detached',
      pades: true,
      coversWholeDocument: true,
      chainTrusted: true,
      reason: '颁发电子证照',
      signedAt: signingTime.toISOString(),
    });
    expect(report.signer).to.deep.equal({
      commonName: HEALTH.name,
      organization: HEALTH.name,
      organizationIdentifier: HEALTH.code,
      serial: health.certificate.serialNumber.toUpperCase(),
    });
    expect(report.byteRange[0]).to.equal(0);
    expect(report.byteRange[2] + report.byteRange[3]).to.equal(signed.length);
  });

  it('leaves the rendered document as the first revision, unchanged', () => {
    expect(signed.subarray(0, licence.length).equals(Buffer.from(licence))).to.equal(true);
  });

  it('reports the SHA-256 of the whole file', () => {
    const { sha256 } = verifyPdf(signed);
    expect(sha256).to.match(/^[0-9a-f]{64}$/);
    expect(sha256).to.equal(crypto.createHash('sha256').update(signed).digest('hex'));
  });

  it('should NOT find valid a signature over a document with one byte changed, in either signed range', () => {
    const report = only(signed);
    const [, firstLength, second] = report.byteRange;
    for (const at of [Math.floor(firstLength / 2), second + 2]) {
      const tampered = Buffer.from(signed);
      tampered[at] ^= 0x01;
      const after = only(tampered);
      expect(after.valid, `byte ${at}`).to.equal(false);
      expect(after.problems).to.include('the document bytes do not match the signed message digest');
    }
  });

  it('should NOT find valid a signature whose CMS was altered', () => {
    const [, firstLength] = only(signed).byteRange;
    const tampered = Buffer.from(signed);
    // The CMS ends with the signature value: a hex digit of its tenth byte from the end (30 82 hi lo: a long DER).
    const cmsLength = 4 + parseInt(signed.subarray(firstLength + 5, firstLength + 9).toString('latin1'), 16);
    const at = firstLength + 1 + 2 * (cmsLength - 10);
    tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
    const report = only(tampered);
    expect(report.valid).to.equal(false);
    expect(report.problems).to.include('the signature does not verify with the signer certificate');
  });

  it('keeps the first signature valid when a second department signs as an incremental update', async () => {
    const twice = await sign(signed, culture);
    expect(twice.subarray(0, signed.length).equals(signed)).to.equal(true);
    const { signatures } = verifyPdf(twice, { trustAnchors: anchors });
    expect(signatures.map((s) => [s.valid, s.chainTrusted, s.signer?.commonName, s.coversWholeDocument])).to.deep.equal([
      [true, true, HEALTH.name, false],
      [true, true, CULTURE.name, true],
    ]);
    const doc = await PDFDocument.load(twice);
    const fields = doc
      .getForm()
      .getFields()
      .map((f) => f.getName());
    expect(fields).to.deep.equal(['Signature1', 'Signature2']);
  });

  it('reports a signature that does not cover bytes appended after it, still valid over what it covers', () => {
    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj\n(appended)\nendobj\n')]);
    expect(only(appended)).to.deep.include({ valid: true, coversWholeDocument: false });
  });

  it('finds no signature in a PDF that was not signed', () => {
    const report = verifyPdf(licence, { trustAnchors: anchors });
    expect(report.signatures).to.deep.equal([]);
    expect(report.sha256).to.match(/^[0-9a-f]{64}$/);
  });

  it('should NOT trust a signature without anchors, or one of another CA', async () => {
    const withoutAnchors = verifyPdf(signed).signatures[0];
    expect(withoutAnchors).to.deep.include({ valid: true, chainTrusted: false });
    expect(withoutAnchors.problems).to.include('no trust anchors were given');
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-other-'));
    try {
      const otherAnchors = await createKeyStore({ devCaDir: otherDir }).trustAnchors();
      const report = verifyPdf(signed, { trustAnchors: otherAnchors }).signatures[0];
      expect(report).to.deep.include({ valid: true, chainTrusted: false });
      expect(report.problems).to.include('the signer certificate does not chain to a trust anchor');
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('should NOT trust a signature dated outside the certificate validity', async () => {
    const early = await signPdf(licence, health, { reason: '颁发电子证照', signingTime: new Date('2020-01-01T00:00:00Z') });
    const report = only(early);
    expect(report).to.deep.include({ valid: true, chainTrusted: false, signedAt: '2020-01-01T00:00:00.000Z' });
    expect(report.problems.join()).to.match(/is not valid at 2020-01-01/);
  });

  it('signs the same bytes the same way at the same signing time', async () => {
    expect((await sign(licence)).equals(signed)).to.equal(true);
  });

  it('signs a PDF written with a cross-reference stream by rewriting it first, since it has no signature yet', async () => {
    const doc = await PDFDocument.load(licence);
    const compact = await doc.save({ useObjectStreams: true });
    const report = only(await sign(compact));
    expect(report).to.deep.include({ valid: true, coversWholeDocument: true, chainTrusted: true });
  });
});
