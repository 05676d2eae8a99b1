import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { uscc } from '../../server/identifiers';
import type { MatterCatalog } from '../../server/matters/catalog';
import { fromPkcs12, issue, toPkcs12, type KeyPairWithChain } from './certificates';
import { signingUnavailable } from './errors';

/** An issuing department: its name as printed (发证机关) and its unified social credit code. */
export interface Department {
  code: string;
  name: string;
}

/** A real certificate: a PKCS#12 file (RSA key) and its password. */
export interface Pkcs12Source {
  p12Path: string;
  password: string;
}

/**
 * Where signing keys come from. A department listed in `departments` signs with that file; any other department
 * gets a certificate of the development CA under `devCaDir` (made on first use), or none when `devCaDir` is absent.
 */
export interface KeyStoreConfig {
  /** e.g. `<DATA_DIR>/ca`: the development root CA and the department certificates it issues. */
  devCaDir?: string;
  /** By department code (USCC). */
  departments?: Record<string, Pkcs12Source>;
  /** PEM files (one or more certificates each) trusted as roots when verifying, besides the development CA. */
  trustAnchorFiles?: string[];
}

export interface DepartmentSigner extends KeyPairWithChain {
  department: Department;
  source: 'development' | 'configured';
}

export interface KeyStore {
  /** The department's key and certificate; throws EsignError SIGNING_UNAVAILABLE when there is none. */
  signerFor(department: Department): Promise<DepartmentSigner>;
  /** Makes (or loads) the certificates of these departments at start rather than at the first signature. */
  prepare(departments: Department[]): Promise<DepartmentSigner[]>;
  /** The roots a signature must chain to: the development CA (made if missing) and the configured anchors. */
  trustAnchors(): Promise<X509Certificate[]>;
}

const KEY_FILE = 'key.p12';
const PASSWORD_FILE = 'key.p12.password';
const CERT_FILE = 'cert.pem';
const DEV_MARK = '（开发测试用）';

/** The issuing departments of the matters in `processes/`, once each. */
export function issuingDepartments(matters: MatterCatalog): Department[] {
  const byCode = new Map<string, Department>();
  for (const matter of matters.list()) byCode.set(matter.department.code, { code: matter.department.code, name: matter.department.name });
  return [...byCode.values()];
}

export function createKeyStore(config: KeyStoreConfig): KeyStore {
  const pending = new Map<string, Promise<DepartmentSigner>>();
  let root: Promise<KeyPairWithChain> | undefined;

  const devRoot = (dir: string) =>
    (root ??= loadOrCreate(path.join(dir, 'root'), () =>
      issue({ subject: { commonName: `审批平台开发根证书${DEV_MARK}`, organization: `审批平台${DEV_MARK}` }, years: 20 }),
    ).catch((error) => {
      root = undefined;
      throw error;
    }));

  async function load(department: Department): Promise<DepartmentSigner> {
    const configured = config.departments?.[department.code];
    if (configured) {
      try {
        const pair = fromPkcs12(await fs.readFile(configured.p12Path), configured.password);
        return { ...pair, department, source: 'configured' };
      } catch (error) {
        throw signingUnavailable(
          `cannot read the PKCS#12 file of ${department.name} (${configured.p12Path}): ${(error as Error).message}`,
          error,
        );
      }
    }
    if (!config.devCaDir) throw signingUnavailable(`no signing certificate is configured for ${department.name} (${department.code})`);
    if (!uscc.validate(department.code).valid) {
      throw signingUnavailable(`department code "${department.code}" of ${department.name} is not a unified social credit code`);
    }
    const ca = await devRoot(config.devCaDir);
    // A renamed department gets a new certificate: the name is part of the folder.
    const nameTag = crypto.createHash('sha256').update(department.name).digest('hex').slice(0, 8);
    const dir = path.join(config.devCaDir, 'departments', `${department.code}-${nameTag}`);
    const pair = await loadOrCreate(dir, () =>
      issue({
        subject: { commonName: department.name, organization: department.name, organizationIdentifier: department.code },
        issuer: ca,
        years: 5,
      }),
    );
    return { ...pair, department, source: 'development' };
  }

  const signerFor = (department: Department) => {
    const key = `${department.code}\n${department.name}`;
    let signer = pending.get(key);
    if (!signer) {
      signer = load(department);
      pending.set(key, signer);
      signer.catch(() => pending.delete(key));
    }
    return signer;
  };

  return {
    signerFor,
    prepare: (departments) => Promise.all(departments.map(signerFor)),
    async trustAnchors() {
      const anchors = config.devCaDir ? [(await devRoot(config.devCaDir)).certificate] : [];
      for (const file of config.trustAnchorFiles ?? []) anchors.push(...certificatesFromPem(await fs.readFile(file, 'utf8')));
      return anchors;
    },
  };
}

export function certificatesFromPem(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block));
}

/**
 * Loads the key pair kept in `dir`, or makes it: written to a private temporary folder first and renamed into
 * place, so that of two processes starting at once one pair wins and both use it.
 */
async function loadOrCreate(dir: string, create: () => Promise<KeyPairWithChain>): Promise<KeyPairWithChain> {
  const label = path.basename(dir);
  const existing = await readPair(dir);
  if (existing) return existing;
  await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  const temp = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  await fs.mkdir(temp, { mode: 0o700 });
  try {
    const pair = await create();
    const password = crypto.randomBytes(24).toString('base64url');
    await fs.writeFile(path.join(temp, PASSWORD_FILE), password, { mode: 0o600 });
    await fs.writeFile(path.join(temp, KEY_FILE), toPkcs12(pair, password, label), { mode: 0o600 });
    await fs.writeFile(path.join(temp, CERT_FILE), [pair.certificate, ...pair.chain].map((c) => c.toString()).join(''), { mode: 0o644 });
    try {
      await fs.rename(temp, dir);
    } catch (error) {
      // Another process put its pair there first: use that one.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
  const pair = await readPair(dir);
  if (!pair) throw signingUnavailable(`the key pair in ${dir} vanished after it was written`);
  return pair;
}

async function readPair(dir: string): Promise<KeyPairWithChain | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(dir, KEY_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw signingUnavailable(`cannot read ${path.join(dir, KEY_FILE)}: ${(error as Error).message}`, error);
  }
  try {
    return fromPkcs12(bytes, (await fs.readFile(path.join(dir, PASSWORD_FILE), 'utf8')).trim());
  } catch (error) {
    throw signingUnavailable(`cannot open the key pair in ${dir}: ${(error as Error).message}`, error);
  }
}
