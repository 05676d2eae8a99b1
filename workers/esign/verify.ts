import crypto, { X509Certificate } from 'node:crypto';
import { PDFHexString, PDFString } from 'pdf-lib';
import { checkCmsSignature } from './cms';
import { certificateFields } from './x509';

export interface SignerReport {
  commonName: string | null;
  organization: string | null;
  /** The unified social credit code of a department certificate (2.5.4.97). */
  organizationIdentifier: string | null;
  /** The certificate's serial number, upper-case hex. */
  serial: string;
}

export interface SignatureReport {
  /** The bytes of its ByteRange are the bytes signed (message digest) and the CMS signature verifies. */
  valid: boolean;
  /** Why not valid, or why not trusted; empty when both hold. */
  problems: string[];
  signer: SignerReport | null;
  /** ISO time: the CMS signing-time attribute, else the signature dictionary's /M (what the signer claims). */
  signedAt: string | null;
  subFilter: string | null;
  reason: string | null;
  /** ETSI.CAdES.detached with a matching signing-certificate-v2 attribute (PAdES baseline). */
  pades: boolean;
  /** The signature covers every byte of the file: nothing was appended after it. */
  coversWholeDocument: boolean;
  byteRange: [number, number, number, number];
  /** The signer's certificate chains to a trust anchor, every certificate on the way valid at `signedAt`. */
  chainTrusted: boolean;
}

export interface VerificationReport {
  /** In the order they were made; an unsigned PDF has none. */
  signatures: SignatureReport[];
  /** Of the whole file, hex. */
  sha256: string;
}

export interface VerifyOptions {
  /** Roots to trust: KeyStore.trustAnchors() (the development CA and the configured ones). */
  trustAnchors?: X509Certificate[];
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/**
 * Verifies every signature of a PDF: each one's ByteRange is read back from the file, hashed and checked against
 * its CMS (message digest, signature, signing-certificate binding), and its certificate chained to the trust
 * anchors. Changes made in later incremental updates are not judged: `coversWholeDocument` says whether there are any.
 */
export function verifyPdf(input: Uint8Array, options: VerifyOptions = {}): VerificationReport {
  const pdf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const text = pdf.toString('latin1');
  const seen = new Set<string>();
  const signatures: SignatureReport[] = [];
  for (const match of text.matchAll(BYTE_RANGE)) {
    const byteRange = match.slice(1, 5).map(Number) as SignatureReport['byteRange'];
    const key = byteRange.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    signatures.push(verifySignature(pdf, text, match.index!, byteRange, options.trustAnchors ?? []));
  }
  signatures.sort((a, b) => a.byteRange[2] + a.byteRange[3] - (b.byteRange[2] + b.byteRange[3]));
  return { signatures, sha256: crypto.createHash('sha256').update(pdf).digest('hex') };
}

function verifySignature(
  pdf: Buffer,
  text: string,
  at: number,
  byteRange: SignatureReport['byteRange'],
  anchors: X509Certificate[],
): SignatureReport {
  const [start, firstLength, second, secondLength] = byteRange;
  const end = text.indexOf('endobj', at);
  const dictionary = text.slice(Math.max(0, text.lastIndexOf(' obj', at)), end === -1 ? undefined : end);
  const report: SignatureReport = {
    valid: false,
    problems: [],
    signer: null,
    signedAt: pdfDate(/\/M\s*\(([^)]*)\)/.exec(dictionary)?.[1])?.toISOString() ?? null,
    subFilter: /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dictionary)?.[1] ?? null,
    reason: pdfText(/\/Reason\s*(<[0-9A-Fa-f\s]*>|\((?:\\[\s\S]|[^\\)])*\))/.exec(dictionary)?.[1]),
    pades: false,
    coversWholeDocument: second + secondLength === pdf.length,
    byteRange,
    chainTrusted: false,
  };
  const gap = pdf.subarray(start + firstLength, second).toString('latin1');
  if (start !== 0 || second <= firstLength || second + secondLength > pdf.length || !/^<[0-9A-Fa-f\s]*>$/.test(gap)) {
    report.problems.push('the ByteRange does not leave exactly the /Contents string out of a file of this length');
    return report;
  }
  const cms = Buffer.from(gap.slice(1, -1).replace(/\s/g, ''), 'hex');
  const content = Buffer.concat([pdf.subarray(start, firstLength), pdf.subarray(second, second + secondLength)]);
  const check = checkCmsSignature(cms, content, (der) => new X509Certificate(der));
  report.problems.push(...check.problems);
  report.valid = check.intact;
  if (check.signingTime) report.signedAt = check.signingTime.toISOString();
  if (!check.signerCertificate) return report;
  const subject = certificateFields(check.signerCertificate);
  report.signer = {
    commonName: subject.subject.commonName ?? null,
    organization: subject.subject.organization ?? null,
    organizationIdentifier: subject.subject.organizationIdentifier ?? null,
    serial: subject.serialHex,
  };
  report.pades = report.subFilter === 'ETSI.CAdES.detached' && check.signingCertificateV2;
  const signer = new X509Certificate(check.signerCertificate);
  const pool = check.certificates.map((der) => new X509Certificate(der));
  const trust = chainToAnchor(signer, pool, anchors, report.signedAt ? new Date(report.signedAt) : new Date());
  report.chainTrusted = trust === undefined;
  if (trust) report.problems.push(trust);
  return report;
}

const validAt = (cert: X509Certificate, at: Date) => Date.parse(cert.validFrom) <= at.getTime() && at.getTime() <= Date.parse(cert.validTo);

/** undefined when `cert` chains to an anchor through CA certificates of `pool`; else why not. */
function chainToAnchor(cert: X509Certificate, pool: X509Certificate[], anchors: X509Certificate[], at: Date): string | undefined {
  if (anchors.length === 0) return 'no trust anchors were given';
  const issuedBy = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    if (!validAt(current, at)) return `certificate ${current.subject.replace(/\n/g, ', ')} is not valid at ${at.toISOString()}`;
    if (anchors.some((a) => a.fingerprint256 === current.fingerprint256)) return undefined;
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) return validAt(anchor, at) ? undefined : `the trust anchor is not valid at ${at.toISOString()}`;
    const next = pool.find((c) => c.ca && c.fingerprint256 !== current.fingerprint256 && issuedBy(current, c));
    if (!next) return 'the signer certificate does not chain to a trust anchor';
    current = next;
  }
  return 'the certificate chain is too long';
}

function pdfText(raw: string | undefined): string | null {
  if (!raw) return null;
  if (raw.startsWith('<')) return PDFHexString.of(raw.slice(1, -1).replace(/\s/g, '')).decodeText();
  return PDFString.of(raw.slice(1, -1)).decodeText();
}

/** `D:YYYYMMDDHHmmSS+HH'mm'` (later parts optional); undefined when unreadable. */
export function pdfDate(raw: string | undefined): Date | undefined {
  const m = raw && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}?'?)?/.exec(raw);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3).replace(/'/g, '').padEnd(2, '0')}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
