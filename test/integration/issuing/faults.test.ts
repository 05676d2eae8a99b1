import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { expect } from 'chai';
import forge from 'node-forge';
import { FileStorage, type Storage, type StoredFile } from '../../../server/storage';
import { spawnServer } from '../../support/child';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

/** The issuing department of the publication-licence reissue (processes/publication-licence-reissue/matter.json). */
const CULTURE = '11110101MB1D21075L';

/** A PKCS#12 file (RSA key, self-signed certificate) locked with `password`, as a department's real key would be. */
function pkcs12(password: string): Buffer {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const subject = [{ name: 'commonName', value: 'Culture test signer' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

describe('Issue 6: start refuses a signing key it cannot load, naming the file', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let dir: string;
  before(async () => {
    database = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-signing-keys-'));
    fs.writeFileSync(path.join(dir, 'culture.p12'), pkcs12('the-right-password'));
  });
  after(async () => {
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { when: 'the PKCS#12 file is missing', entry: { p12Path: 'absent.p12', password: 'x' }, file: 'absent.p12', why: /does not exist/ },
    {
      when: 'the password of the PKCS#12 file is wrong',
      entry: { p12Path: 'culture.p12', password: 'a-wrong-password' },
      file: 'culture.p12',
      why: /cannot read the PKCS#12 file/,
    },
  ];
  for (const { when, entry, file, why } of cases) {
    it(`npm start exits 1 when ${when}`, async () => {
      const keysFile = path.join(dir, `signing-keys-${file}.json`);
      fs.writeFileSync(keysFile, JSON.stringify({ [CULTURE]: entry }));
      // A migrated database and no sample data: the refusal comes after the database opens, so the start is kept short.
      const server = spawnServer({
        DATA_DIR: database.dataDir,
        DATABASE_URL: database.databaseUrl ?? '',
        SEED_DEMO: 'false',
        PORT: '0',
        HOST: '127.0.0.1',
        SIGNING_KEYS: keysFile,
        SIGNING_CA_DIR: path.join(dir, 'ca'),
      });
      expect(await server.exited, server.output()).to.equal(1);
      const refusal = server
        .output()
        .split('\n')
        .find((line) => line.startsWith('Cannot start: '));
      expect(refusal, server.output()).to.include(path.join(dir, file)).and.match(why);
      expect(server.output()).not.to.contain('ready on');
    });
  }
});

/** Files on a disk that is full for the next `full` writes, then has room again. */
class FullDisk implements Storage {
  full = 0;
  readonly refused: Date[] = [];
  constructor(private readonly files: FileStorage) {}

  async put(content: Buffer | Readable, options?: { maxBytes?: number }): Promise<StoredFile> {
    if (this.full > 0) {
      this.full--;
      this.refused.push(new Date());
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return this.files.put(content, options);
  }
  get = (sha256: string) => this.files.get(sha256);
  stream = (sha256: string) => this.files.stream(sha256);
  has = (sha256: string) => this.files.has(sha256);
}

describe('Issue 6: the storage full while signing - the esign job fails and retries, the case is not lost', function () {
  this.timeout(120_000);
  let server: TestServer;
  let filesDir: string;
  let disk: FullDisk;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-full-disk-'));
    disk = new FullDisk(new FileStorage(filesDir, 10 * 1024 * 1024));
    server = await startTestServer({ ocrWorkers: 1 }, { storage: disk });
  });
  after(async () => {
    await server?.close();
    if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('a publication-licence reissue decided automatically is signed on the retry, published, archived once and approved', async () => {
    const token = await server.login('enterprise1');
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: {
        matter: 'publication-licence-reissue',
        action: 'apply',
        answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' },
      },
    });
    expect(created.status, created.text).to.equal(201);
    const id: string = created.body.id;
    const heldLicenseId: string = created.body.licenseId;
    const form = {
      reissueCopies: 'original',
      lossDate: '2026-11-01',
      lossCircumstances: '搬迁时遗失',
      contactName: '陈晓东',
      contactPhone: '13912345678',
      statementAccepted: true,
    };
    expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form } })).status).to.equal(200);
    // No material is uploaded on this path: the first write is the signed licence.
    disk.full = 1;
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `full-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);

    const view = await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body,
      (v) => v.status !== 'reviewing' && v.status !== 'submitted' && v.timeline.some((e: any) => e.kind === 'archive'),
      90_000,
    );
    expect(disk.refused).to.have.length(1);
    expect(view.status, JSON.stringify(view.findings)).to.equal('approved');

    const [esign] = await knex()('jobs').where({ type: 'esign' }).whereRaw(`variables->>'applicationId' = ?`, [id]);
    expect(esign).to.include({ state: 'completed', retries: 2, activation: 2 });
    expect(esign.error_message).to.match(/ENOSPC: no space left on device/);
    expect(await knex()('incidents').where({ instance_key: esign.instance_key })).to.deep.equal([]);

    const documents = await knex()('documents').where({ application_id: id }).orderBy('kind').select('kind', 'sha256', 'license_id');
    expect(documents.map((d: any) => d.kind)).to.deep.equal(['decision', 'licence']);
    for (const d of documents) expect(await disk.has(d.sha256), d.kind).to.equal(true);
    await server.running.platform.audit.flush();
    const signed = await knex()('audit_log').where({ action: 'application.documents-signed', entity_id: id });
    expect(signed).to.have.length(1);

    const licenses = await knex()('licenses').where({ application_id: id }).select('id', 'status', 'document_sha256');
    expect(licenses).to.have.length(1);
    expect(licenses[0]).to.include({ id: documents.find((d: any) => d.kind === 'licence').license_id, status: 'valid' });
    expect(view.result.licenseId).to.equal(licenses[0].id);
    expect((await knex()('licenses').where({ id: heldLicenseId }).first('status')).status).to.equal('superseded');

    const archives = await knex()('archives').where({ application_id: id }).select('sha256');
    expect(archives).to.have.length(1);
    expect(await disk.has(archives[0].sha256)).to.equal(true);
    expect(view.timeline.filter((e: any) => e.kind === 'archive')).to.have.length(1);
    expect(view.timeline.filter((e: any) => e.kind === 'documents')).to.have.length(1);
    const engine = server.running.platform.engine;
    const instance = await eventually(
      () => engine.getInstance(view.processInstanceKey),
      (i) => i!.state !== 'active',
      10_000,
    );
    expect(instance!.state).to.equal('completed');
  });
});
