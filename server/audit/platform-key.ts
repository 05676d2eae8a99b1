import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StartRefused } from '../start-refused';

export const PRIVATE_KEY_FILE = 'platform-ed25519.pem';
export const PUBLIC_KEY_FILE = 'platform-ed25519.pub.pem';

const MOVE_AWAY =
  'Restore the right file, or move it away to have a new key made at the next start ' +
  '(anchors signed with the old key will then no longer verify).';

/**
 * The platform's own Ed25519 key: it signs the audit anchors. Made on first start in `<dir>/platform-ed25519.pem`
 * (mode 0600), with the public key beside it for outside verifiers.
 */
export class PlatformKey {
  /** The first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  readonly keyId: string;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
  ) {
    this.keyId = keyIdOf(publicKey);
  }

  /** Loads the key from `dir`, making it first when there is none; a key file that is there but unusable refuses the start. */
  static load(dir: string): PlatformKey {
    const privatePath = path.join(dir, PRIVATE_KEY_FILE);
    if (!fs.existsSync(privatePath)) createKeyFile(dir, privatePath);
    const privateKey = readPrivateKey(privatePath);
    const publicKey = crypto.createPublicKey(privateKey);
    writeOrCheckPublicKey(path.join(dir, PUBLIC_KEY_FILE), privatePath, publicKey);
    return new PlatformKey(privateKey, publicKey);
  }

  /** Ed25519 signature of `data`, base64. */
  sign(data: Buffer): string {
    return crypto.sign(null, data, this.privateKey).toString('base64');
  }

  verify(data: Buffer, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64');
    // Node's base64 decoder skips stray characters: only the one canonical spelling of a signature is accepted.
    if (bytes.toString('base64') !== signature) return false;
    try {
      return crypto.verify(null, data, this.publicKey, bytes);
    } catch {
      return false;
    }
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
}

function createKeyFile(dir: string, privatePath: string): void {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const temp = `${privatePath}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
    // link, not rename: a key another instance made a moment ago is kept, never replaced.
    fs.linkSync(temp, privatePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new StartRefused(`Cannot write the platform key ${privatePath}: ${(error as Error).message}. Make ${dir} writable, or set DATA_DIR.`);
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function readPrivateKey(file: string): KeyObject {
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch (error) {
    throw new StartRefused(`The platform key ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix its owner or permissions. ${MOVE_AWAY}`);
  }
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey(pem);
  } catch (error) {
    throw new StartRefused(`The platform key ${file} is not an unencrypted PEM private key (${(error as Error).message}). ${MOVE_AWAY}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new StartRefused(`The platform key ${file} is a ${key.asymmetricKeyType} key; it must be Ed25519. ${MOVE_AWAY}`);
  }
  return key;
}

function writeOrCheckPublicKey(file: string, privatePath: string, publicKey: KeyObject): void {
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, pem, { mode: 0o644 });
    } catch (error) {
      throw new StartRefused(`Cannot write the platform public key ${file}: ${(error as Error).message}.`);
    }
    return;
  }
  let stored: KeyObject;
  try {
    stored = crypto.createPublicKey(fs.readFileSync(file));
  } catch (error) {
    throw new StartRefused(`The platform public key ${file} cannot be read or parsed (${(error as Error).message}). Delete it: it is written again from ${privatePath}.`);
  }
  const der = (key: KeyObject) => key.export({ type: 'spki', format: 'der' });
  if (!der(stored).equals(der(publicKey))) {
    throw new StartRefused(`The platform public key ${file} does not belong to the private key ${privatePath}: one of them was replaced. Put back the right pair, or delete ${file} to have it written again from ${privatePath}.`);
  }
}
