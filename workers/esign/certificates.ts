import crypto, { X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** A private key, its certificate and the certificates above it (issuer first, root last). */
export interface KeyPairWithChain {
  privateKey: KeyObject;
  certificate: X509Certificate;
  chain: X509Certificate[];
}

export interface Subject {
  commonName: string;
  organization: string;
  /** 2.5.4.97: the unified social credit code of a department. */
  organizationIdentifier?: string;
}

const generateKeyPair = promisify(crypto.generateKeyPair);
const DAY = 24 * 3600 * 1000;

function forgeSubject(subject: Subject): forge.pki.CertificateField[] {
  const utf8 = (shortName: string, value: string) => ({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 as never });
  return [
    { shortName: 'C', value: 'CN' },
    utf8('O', subject.organization),
    ...(subject.organizationIdentifier ? [{ type: '2.5.4.97', value: subject.organizationIdentifier }] : []),
    utf8('CN', subject.commonName),
  ];
}

const randomSerial = () => '01' + crypto.randomBytes(15).toString('hex');

const derOf = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

const toX509 = (cert: forge.pki.Certificate) => new X509Certificate(derOf(forge.pki.certificateToAsn1(cert)));

function fromX509(cert: X509Certificate): forge.pki.Certificate {
  return forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary'))));
}

const forgeKey = (key: KeyObject) => forge.pki.privateKeyFromPem(key.export({ type: 'pkcs8', format: 'pem' }).toString());

/**
 * Issues a certificate for a new RSA-2048 key (keys made by node:crypto, certificates by node-forge): a root CA
 * (self-signed, `issuer` absent) or a document-signing certificate of a department (digitalSignature and
 * nonRepudiation, as PAdES signers carry).
 */
export async function issue(options: { subject: Subject; issuer?: KeyPairWithChain; years: number }): Promise<KeyPairWithChain> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 });
  const now = new Date();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(now.getTime() - DAY);
  cert.validity.notAfter = new Date(now.getTime() + options.years * 365 * DAY);
  cert.setSubject(forgeSubject(options.subject));
  const ca = !options.issuer;
  const issuerCert = options.issuer ? fromX509(options.issuer.certificate) : cert;
  // A parsed certificate keeps UTF8String values as UTF-8 bytes; setIssuer would encode them a second time.
  cert.setIssuer(
    issuerCert.subject.attributes.map((a) =>
      a.valueTagClass === (forge.asn1.Type.UTF8 as never) && options.issuer ? { ...a, value: forge.util.decodeUtf8(a.value as string) } : a,
    ),
  );
  cert.setExtensions([
    { name: 'basicConstraints', cA: ca, critical: true },
    ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(ca ? [] : [{ name: 'authorityKeyIdentifier', keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() }]),
  ]);
  cert.sign(options.issuer ? forgeKey(options.issuer.privateKey) : forgeKey(privateKey), forge.md.sha256.create());
  const chain = options.issuer ? [options.issuer.certificate, ...options.issuer.chain] : [];
  return { privateKey, certificate: toX509(cert), chain };
}

/** A PKCS#12 file (AES-256, PBKDF2) holding the key and the chain. */
export function toPkcs12(pair: KeyPairWithChain, password: string, friendlyName: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey(pair.privateKey), [pair.certificate, ...pair.chain].map(fromX509), password, {
    algorithm: 'aes256',
    friendlyName,
  });
  return derOf(asn1);
}

/**
 * Reads a PKCS#12 file: its one private key (RSA: node-forge reads no other kind) and its certificates, the one
 * matching the key first, then its issuers as found in the file.
 */
export function fromPkcs12(bytes: Buffer, password: string): KeyPairWithChain {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), password);
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('the PKCS#12 file holds no RSA private key');
  const privateKey = crypto.createPrivateKey(forge.pki.privateKeyToPem(key));
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => (bag.cert ? toX509(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1))
    .map((cert) => (cert === undefined || cert instanceof X509Certificate ? cert : new X509Certificate(derOf(cert))))
    .filter((cert): cert is X509Certificate => cert !== undefined);
  const certificate = certs.find((c) => c.checkPrivateKey(privateKey));
  if (!certificate) throw new Error('the PKCS#12 file holds no certificate for its private key');
  const chain: X509Certificate[] = [];
  for (let current = certificate; chain.length < certs.length;) {
    const issuer = certs.find((c) => c !== current && !chain.includes(c) && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return { privateKey, certificate, chain };
}
