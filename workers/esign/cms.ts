import crypto, { type KeyObject, type X509Certificate } from 'node:crypto';
import { Der, DerError, NULL, TAG, context, octetString, oid, sequence, setOf, tlv } from './der';
import { certificateFields } from './x509';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
} as const;

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms node:crypto verifies from the certificate's key alone (RSA PKCS#1 v1.5, ECDSA). */
const SIGNATURES: Record<string, string | null> = {
  '1.2.840.113549.1.1.1': null, // rsaEncryption: the digest algorithm of the SignerInfo
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const SHA256 = sequence(oid('2.16.840.1.101.3.4.2.1'));
const attribute = (type: string, value: Buffer) => sequence(oid(type), setOf(value));

/**
 * A detached CMS SignedData in the CAdES-BES shape PAdES baseline B-B asks for (ETSI EN 319 142-1): signed
 * attributes content-type, message-digest and signing-certificate-v2 (the SHA-256 of the signer's certificate with
 * its issuer and serial), no signing-time attribute (the time is the signature dictionary's /M), SHA-256 with RSA or ECDSA.
 */
export function buildCadesSignature(
  content: Buffer,
  signer: { privateKey: KeyObject; certificate: X509Certificate; chain: X509Certificate[] },
): Buffer {
  const cert = certificateFields(signer.certificate.raw);
  const essCertIdV2 = sequence(
    octetString(crypto.createHash('sha256').update(cert.der).digest()),
    sequence(sequence(tlv(context(4), cert.issuer)), cert.serial),
  );
  const signedAttributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(crypto.createHash('sha256').update(content).digest())),
    attribute(OID.signingCertificateV2, sequence(sequence(essCertIdV2))),
  ];
  const signedSet = setOf(...signedAttributes);
  const signature = crypto.sign('sha256', signedSet, signer.privateKey);
  const signerInfo = sequence(
    tlv(TAG.integer, Buffer.from([1])),
    sequence(cert.issuer, cert.serial),
    SHA256,
    Buffer.concat([Buffer.from([context(0)]), signedSet.subarray(1)]),
    signer.privateKey.asymmetricKeyType === 'ec' ? sequence(oid(OID.ecdsaWithSHA256)) : sequence(oid(OID.sha256WithRSAEncryption), NULL),
    octetString(signature),
  );
  const signedData = sequence(
    tlv(TAG.integer, Buffer.from([1])),
    setOf(SHA256),
    sequence(oid(OID.data)),
    tlv(context(0), ...[signer.certificate, ...signer.chain].map((c) => c.raw)),
    setOf(signerInfo),
  );
  return sequence(oid(OID.signedData), tlv(context(0), signedData));
}

export interface CmsCheck {
  /** The digest over the signed bytes matches and the signature over the signed attributes verifies. */
  intact: boolean;
  problems: string[];
  /** DER of the certificates carried, the signer's first when it was found. */
  certificates: Buffer[];
  signerCertificate?: Buffer;
  signingTime?: Date;
  /** Present and matching the signer's certificate (PAdES requires it). */
  signingCertificateV2: boolean;
}

/** Checks a detached CMS SignedData over `content`: message digest, signature, the signing-certificate binding. */
export function checkCmsSignature(cms: Buffer, content: Buffer, parseCertificate: (der: Buffer) => X509Certificate): CmsCheck {
  const problems: string[] = [];
  const result: CmsCheck = { intact: false, problems, certificates: [], signingCertificateV2: false };
  let info: Der;
  try {
    const contentInfo = Der.parse(cms);
    if (contentInfo.child(0).oid() !== OID.signedData) throw new DerError('not a CMS SignedData');
    const signedData = contentInfo.child(1, context(0)).child(0, TAG.sequence);
    const parts = signedData.children();
    const certificates = parts.find((p) => p.tag === context(0));
    result.certificates = certificates ? certificates.children().map((c) => Buffer.from(c.bytes)) : [];
    const signerInfos = parts[parts.length - 1].children();
    if (signerInfos.length !== 1) throw new DerError(`${signerInfos.length} signer infos, one expected`);
    info = signerInfos[0];
  } catch (error) {
    problems.push(`unreadable CMS: ${(error as Error).message}`);
    return result;
  }
  try {
    const fields = info.children();
    const sid = fields[1];
    const digestOid = fields[2].child(0).oid();
    const digest = DIGESTS[digestOid];
    if (!digest) {
      problems.push(`unsupported digest algorithm ${digestOid}`);
      return result;
    }
    const signedAttrs = fields[3].tag === context(0) ? fields[3] : undefined;
    const rest = fields.slice(signedAttrs ? 4 : 3);
    const signatureOid = rest[0].child(0).oid();
    const signature = rest[1].content;
    if (!(signatureOid in SIGNATURES)) {
      problems.push(`unsupported signature algorithm ${signatureOid}`);
      return result;
    }
    const signerDer = findSigner(sid, result.certificates);
    if (!signerDer) {
      problems.push('the signer certificate is not in the signature');
      return result;
    }
    result.signerCertificate = signerDer;
    const signerCert = parseCertificate(signerDer);
    const contentDigest = crypto.createHash(digest).update(content).digest();
    let signedBytes: Buffer = content;
    if (signedAttrs) {
      const attrs = new Map(signedAttrs.children().map((a) => [a.child(0).oid(), a.child(1, TAG.set).child(0)]));
      const messageDigest = attrs.get(OID.messageDigest);
      if (!messageDigest) problems.push('no message-digest attribute');
      else if (!messageDigest.content.equals(contentDigest)) problems.push('the document bytes do not match the signed message digest');
      const time = attrs.get(OID.signingTime);
      if (time) result.signingTime = time.time();
      const v2 = attrs.get(OID.signingCertificateV2);
      if (v2) {
        const first = v2.child(0).child(0);
        const hashAlg = first.children()[0].tag === TAG.sequence ? DIGESTS[first.child(0).child(0).oid()] : 'sha256';
        const certHash = first.children().find((c) => c.tag === TAG.octetString)?.content;
        if (hashAlg && certHash && crypto.createHash(hashAlg).update(signerDer).digest().equals(certHash))
          result.signingCertificateV2 = true;
        else problems.push('the signing-certificate-v2 attribute does not name the signer certificate');
      }
      const v1 = attrs.get(OID.signingCertificate);
      if (v1) {
        const certHash = v1.child(0).child(0).child(0).content;
        if (!crypto.createHash('sha1').update(signerDer).digest().equals(certHash))
          problems.push('the signing-certificate attribute does not name the signer certificate');
      }
      // The signature covers the attributes as a DER SET, not as the [0] they are stored under.
      signedBytes = Buffer.concat([Buffer.from([TAG.set]), signedAttrs.bytes.subarray(1)]);
    }
    const algorithm = SIGNATURES[signatureOid] ?? digest;
    if (!crypto.verify(algorithm, signedBytes, signerCert.publicKey, signature))
      problems.push('the signature does not verify with the signer certificate');
    result.intact = problems.length === 0;
  } catch (error) {
    problems.push(`unreadable signer info: ${(error as Error).message}`);
  }
  return result;
}

function findSigner(sid: Der, certificates: Buffer[]): Buffer | undefined {
  if (sid.tag === TAG.sequence) {
    const issuer = sid.child(0).bytes;
    const serial = sid.child(1).bytes;
    return certificates.find((der) => {
      const fields = certificateFields(der);
      return fields.issuer.equals(issuer) && fields.serial.equals(serial);
    });
  }
  // [0] SubjectKeyIdentifier: the certificate whose extension holds it (20 bytes of a hash, as good as unique).
  const keyId = sid.content;
  return certificates.find((der) => der.includes(keyId));
}
