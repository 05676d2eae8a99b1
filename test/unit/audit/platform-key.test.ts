import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PlatformKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../../../server/audit/platform-key';
import { StartRefused } from '../../../server/start-refused';

describe('platform key', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'platform-key-')), 'keys');
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  const refusal = (run: () => unknown): StartRefused => {
    try {
      run();
    } catch (error) {
      expect(error).to.be.instanceOf(StartRefused);
      return error as StartRefused;
    }
    throw new Error('expected the start to be refused');
  };

  it('is made on first start as an Ed25519 key readable by its owner only, with the public key beside it', () => {
    const key = PlatformKey.load(dir);
    const privatePath = path.join(dir, PRIVATE_KEY_FILE);
    expect(fs.statSync(privatePath).mode & 0o777).to.equal(0o600);
    expect(crypto.createPrivateKey(fs.readFileSync(privatePath)).asymmetricKeyType).to.equal('ed25519');
    expect(fs.readFileSync(path.join(dir, PUBLIC_KEY_FILE), 'utf8')).to.equal(key.publicKeyPem());
    expect(fs.readdirSync(dir).sort()).to.deep.equal([PRIVATE_KEY_FILE, PUBLIC_KEY_FILE].sort());
  });

  it('has as keyId the first 16 hex digits of the SHA-256 of the public key DER', () => {
    const key = PlatformKey.load(dir);
    const der = crypto.createPublicKey(key.publicKeyPem()).export({ type: 'spki', format: 'der' });
    expect(key.keyId).to.equal(crypto.createHash('sha256').update(der).digest('hex').slice(0, 16));
  });

  it('is the same key at the next start', () => {
    const first = PlatformKey.load(dir);
    const signature = first.sign(Buffer.from('head'));
    const again = PlatformKey.load(dir);
    expect(again.keyId).to.equal(first.keyId);
    expect(again.verify(Buffer.from('head'), signature)).to.equal(true);
  });

  it('verifies its own signatures, and nothing else', () => {
    const key = PlatformKey.load(dir);
    const data = Buffer.from('{"hash":"…"}');
    const signature = key.sign(data);
    expect(crypto.verify(null, data, key.publicKeyPem(), Buffer.from(signature, 'base64')), 'by anyone with the public key').to.equal(true);
    expect(key.verify(data, signature)).to.equal(true);
    expect(key.verify(Buffer.from('{"hash":"…!"}'), signature), 'other data').to.equal(false);
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    expect(key.verify(data, signature.slice(0, 10) + flipped + signature.slice(11)), 'a changed signature').to.equal(false);
    expect(key.verify(data, signature + '*'), 'a stray character').to.equal(false);
    expect(key.verify(data, ''), 'nothing').to.equal(false);
    const other = PlatformKey.load(path.join(dir, 'other'));
    expect(key.verify(data, other.sign(data)), "another key's signature").to.equal(false);
  });

  it('refuses to start, naming the file, when the key file is not a key', () => {
    PlatformKey.load(dir);
    const file = path.join(dir, PRIVATE_KEY_FILE);
    fs.writeFileSync(file, '-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n');
    expect(refusal(() => PlatformKey.load(dir)).message).to.contain(file);
  });

  it('refuses to start, naming the file, when the key file cannot be read', () => {
    const file = path.join(dir, PRIVATE_KEY_FILE);
    fs.mkdirSync(file, { recursive: true });
    expect(refusal(() => PlatformKey.load(dir)).message).to.contain(file).and.to.contain('cannot be read');
  });

  it('refuses a key that is not Ed25519', () => {
    fs.mkdirSync(dir, { recursive: true });
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.writeFileSync(path.join(dir, PRIVATE_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(refusal(() => PlatformKey.load(dir)).message).to.match(/is a ec key; it must be Ed25519/);
  });

  it('refuses a public key file that belongs to another key', () => {
    PlatformKey.load(dir);
    const { publicKey } = crypto.generateKeyPairSync('ed25519');
    const file = path.join(dir, PUBLIC_KEY_FILE);
    fs.writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    expect(refusal(() => PlatformKey.load(dir)).message).to.contain(file).and.to.contain('does not belong');
  });

  it('writes the public key again when it was deleted', () => {
    const key = PlatformKey.load(dir);
    fs.rmSync(path.join(dir, PUBLIC_KEY_FILE));
    expect(PlatformKey.load(dir).keyId).to.equal(key.keyId);
    expect(fs.readFileSync(path.join(dir, PUBLIC_KEY_FILE), 'utf8')).to.equal(key.publicKeyPem());
  });
});
