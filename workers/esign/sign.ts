import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import type { KeyPairWithChain } from './certificates';
import { buildCadesSignature } from './cms';
import { documentInvalid, signingUnavailable } from './errors';
import type { Department } from './keys';
import { addSignaturePlaceholder } from './placeholder';

/** Who signs: a department's key and certificate chain (KeyStore.signerFor gives one). */
export interface SigningIdentity extends KeyPairWithChain {
  department: Department;
}

export interface SignOptions {
  /** e.g. 颁发电子证照, 作出行政许可决定 */
  reason: string;
  /** e.g. the issuing department's city */
  location?: string;
  contactInfo?: string;
  /** The signature dictionary's /M; now when absent. */
  signingTime?: Date;
  /** The page of the invisible signature field; the first by default. */
  pageIndex?: number;
}

/** @signpdf's extension point: the CMS over the bytes the ByteRange covers. */
class CadesSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return buildCadesSignature(pdfBuffer, this.identity);
  }
}

/**
 * Signs a PDF as PAdES baseline B-B: SubFilter `ETSI.CAdES.detached`, a CMS with the signing-certificate-v2
 * attribute and no signing-time attribute (see cms.ts), RSA or ECDSA with SHA-256. The signature is an incremental
 * update, so a PDF signed before keeps its earlier signatures valid. The same bytes, signer and signing time give
 * the same output (RSA PKCS#1 v1.5 signatures are deterministic).
 */
export async function signPdf(pdf: Uint8Array, signer: SigningIdentity, options: SignOptions): Promise<Buffer> {
  if (!['rsa', 'ec'].includes(signer.privateKey.asymmetricKeyType ?? '')) {
    throw signingUnavailable(`the key of ${signer.department.name} is ${signer.privateKey.asymmetricKeyType}; RSA or EC keys sign`);
  }
  const signingTime = new Date(Math.floor((options.signingTime ?? new Date()).getTime() / 1000) * 1000);
  const certificateBytes = [signer.certificate, ...signer.chain].reduce((sum, c) => sum + c.raw.length, 0);
  const withPlaceholder = await addSignaturePlaceholder(pdf, {
    subFilter: 'ETSI.CAdES.detached',
    reason: options.reason,
    location: options.location,
    name: signer.department.name,
    contactInfo: options.contactInfo,
    signingTime,
    signatureLength: Math.ceil((certificateBytes + 2048) / 1024) * 1024,
    pageIndex: options.pageIndex,
  });
  try {
    return await new SignPdf().sign(withPlaceholder, new CadesSigner(signer), signingTime);
  } catch (error) {
    throw documentInvalid(`signing failed: ${(error as Error).message}`, error);
  }
}
