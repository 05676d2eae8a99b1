import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMatters } from '../../../server/matters/catalog';
import { toPkcs12 } from '../../../workers/esign/certificates';
import { EsignError, createKeyStore, issuingDepartments, type KeyStore } from '../../../workers/esign/index';
import { CULTURE, HEALTH } from './fixtures';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(EsignError);
  expect((error as EsignError).code).to.equal('SIGNING_UNAVAILABLE');
  expect((error as Error).message).to.match(pattern);
}

describe('esign keys', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-keys-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rootOf = async (keys: KeyStore) => (await keys.trustAnchors())[0];

  it('makes a development root CA on first use and loads the same one on later starts', async () => {
    const first = await rootOf(createKeyStore({ devCaDir: dir }));
    expect(first.ca).to.equal(true);
    expect(first.subject).to.include('开发测试用');
    const again = await rootOf(createKeyStore({ devCaDir: dir }));
    expect(again.fingerprint256).to.equal(first.fingerprint256);
  });

  it('keeps private keys in PKCS#12 files readable by the owner only, the password beside them', async () => {
    await createKeyStore({ devCaDir: dir }).signerFor(HEALTH);
    const [deptDir] = fs.readdirSync(path.join(dir, 'departments'));
    for (const folder of [path.join(dir, 'root'), path.join(dir, 'departments', deptDir)]) {
      expect(mode(path.join(folder, 'key.p12'))).to.equal(0o600);
      expect(mode(path.join(folder, 'key.p12.password'))).to.equal(0o600);
      expect(fs.readFileSync(path.join(folder, 'key.p12.password'), 'utf8')).to.have.length.greaterThan(20);
    }
    expect(mode(dir)).to.equal(0o700);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).to.deep.equal([]);
  });

  it('issues each department a signing certificate of the CA, with its name and USCC, reloaded on later starts', async () => {
    const keys = createKeyStore({ devCaDir: dir });
    const root = await rootOf(keys);
    const [health, culture] = await keys.prepare([HEALTH, CULTURE]);
    for (const [signer, department] of [
      [health, HEALTH],
      [culture, CULTURE],
    ] as const) {
      expect(signer.source).to.equal('development');
      expect(signer.certificate.ca).to.equal(false);
      expect(signer.certificate.subject).to.include(`CN=${department.name}`);
      expect(signer.certificate.subject).to.include(`organizationIdentifier=${department.code}`);
      expect(signer.certificate.checkIssued(root)).to.equal(true);
      expect(signer.certificate.verify(root.publicKey)).to.equal(true);
      expect(signer.certificate.checkPrivateKey(signer.privateKey)).to.equal(true);
      expect(signer.chain.map((c) => c.fingerprint256)).to.deep.equal([root.fingerprint256]);
    }
    expect(health.certificate.fingerprint256).not.to.equal(culture.certificate.fingerprint256);
    const reloaded = await createKeyStore({ devCaDir: dir }).signerFor(HEALTH);
    expect(reloaded.certificate.fingerprint256).to.equal(health.certificate.fingerprint256);
  });

  it('makes one CA and one certificate per department when two stores start at once on an empty folder', async () => {
    const [a, b] = [createKeyStore({ devCaDir: dir }), createKeyStore({ devCaDir: dir })];
    const [sa, sb] = await Promise.all([a.signerFor(HEALTH), b.signerFor(HEALTH)]);
    expect(sa.certificate.fingerprint256).to.equal(sb.certificate.fingerprint256);
    expect((await rootOf(a)).fingerprint256).to.equal((await rootOf(b)).fingerprint256);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['departments', 'root']);
    expect(fs.readdirSync(path.join(dir, 'departments'))).to.have.length(1);
  });

  it('gives a renamed department a new certificate in its new name', async () => {
    const keys = createKeyStore({ devCaDir: dir });
    const before = await keys.signerFor(HEALTH);
    const after = await keys.signerFor({ ...HEALTH, name: '北京市东城区卫生健康局' });
    expect(after.certificate.subject).to.include('CN=北京市东城区卫生健康局');
    expect(after.certificate.fingerprint256).not.to.equal(before.certificate.fingerprint256);
  });

  it('takes the departments from the matter files', () => {
    const departments = issuingDepartments(loadMatters(path.resolve('processes')));
    expect(departments).to.deep.include(HEALTH);
    expect(departments).to.deep.include(CULTURE);
    expect(new Set(departments.map((d) => d.code)).size).to.equal(departments.length);
  });

  it('signs with a configured PKCS#12 file instead of the development CA, and trusts the configured anchors', async () => {
    const issued = await createKeyStore({ devCaDir: path.join(dir, 'other-ca') }).signerFor(HEALTH);
    const p12Path = path.join(dir, 'health.p12');
    fs.writeFileSync(p12Path, toPkcs12(issued, 'correct horse', 'health'));
    const anchorFile = path.join(dir, 'anchors.pem');
    fs.writeFileSync(anchorFile, issued.chain.map((c) => c.toString()).join(''));
    const keys = createKeyStore({ departments: { [HEALTH.code]: { p12Path, password: 'correct horse' } }, trustAnchorFiles: [anchorFile] });
    const signer = await keys.signerFor(HEALTH);
    expect(signer.source).to.equal('configured');
    expect(signer.certificate.fingerprint256).to.equal(issued.certificate.fingerprint256);
    expect(signer.chain).to.have.length(1);
    expect((await keys.trustAnchors()).map((c) => c.fingerprint256)).to.deep.equal([issued.chain[0].fingerprint256]);
  });

  it('should NOT sign without a key: a wrong password, a missing file, or no CA and no file', async () => {
    const issued = await createKeyStore({ devCaDir: dir }).signerFor(HEALTH);
    const p12Path = path.join(dir, 'health.p12');
    fs.writeFileSync(p12Path, toPkcs12(issued, 'right', 'health'));
    await rejectsWith(createKeyStore({ departments: { [HEALTH.code]: { p12Path, password: 'wrong' } } }).signerFor(HEALTH), /PKCS#12/);
    await rejectsWith(
      createKeyStore({ departments: { [HEALTH.code]: { p12Path: path.join(dir, 'missing.p12'), password: 'x' } } }).signerFor(HEALTH),
      /missing\.p12/,
    );
    await rejectsWith(createKeyStore({}).signerFor(HEALTH), /no signing certificate is configured/);
    await rejectsWith(createKeyStore({ devCaDir: dir }).signerFor({ code: 'not-a-code', name: 'x' }), /unified social credit code/);
  });

  it('tries again after a failure instead of keeping it', async () => {
    const p12Path = path.join(dir, 'late.p12');
    const keys = createKeyStore({ departments: { [HEALTH.code]: { p12Path, password: 'pw' } } });
    await rejectsWith(keys.signerFor(HEALTH), /late\.p12/);
    fs.writeFileSync(p12Path, toPkcs12(await createKeyStore({ devCaDir: dir }).signerFor(HEALTH), 'pw', 'health'));
    expect((await keys.signerFor(HEALTH)).source).to.equal('configured');
  });
});
