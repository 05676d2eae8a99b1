import { shanghaiDate } from '../calendar/local-date';
import type { License } from '../registries';
import { verifyPdf } from '../../workers/esign/index';
import type { IssuingDeps } from './issuing-deps';
import { maskName } from '../masking';

export interface SignatureCheck {
  valid: boolean;
  signer: string | null;
  signedAt: string | null;
  coversWholeDocument: boolean;
  trusted: boolean;
  problems: string[];
}

export type EffectiveStatus = 'valid' | 'superseded' | 'revoked' | 'expired';

/** A licence's status today: the library marks expiry in a batch, so one past its date counts as expired already. */
export function effectiveStatus(license: Pick<License, 'status' | 'validUntil'>, now: Date): EffectiveStatus {
  if (license.status !== 'valid') return license.status;
  return license.validUntil !== null && license.validUntil < shanghaiDate(now) ? 'expired' : 'valid';
}

async function checkSignatures(deps: IssuingDeps, bytes: Uint8Array): Promise<{ sha256: string; check: SignatureCheck | null }> {
  const report = verifyPdf(bytes, { trustAnchors: await deps.keyStore.trustAnchors() });
  const last = report.signatures.at(-1);
  if (!last) return { sha256: report.sha256, check: null };
  const all = report.signatures;
  return {
    sha256: report.sha256,
    check: {
      valid: all.every((s) => s.valid) && last.coversWholeDocument,
      signer: last.signer?.organization ?? last.signer?.commonName ?? null,
      signedAt: last.signedAt,
      coversWholeDocument: last.coversWholeDocument,
      trusted: all.every((s) => s.chainTrusted),
      problems: all.flatMap((s) => s.problems),
    },
  };
}

export interface LicenseVerification {
  valid: boolean;
  status: EffectiveStatus;
  holderName: string;
  type: string;
  number: string;
  issuer: string;
  validUntil: string | null;
  /** null for a licence the library holds without a document of this platform's (e.g. migrated records). */
  signature: (SignatureCheck & { documentMatches: boolean }) | null;
}

/**
 * The public check behind a licence's QR code: the record's status today, and the stored PDF's signatures and hash
 * recomputed against the record. Valid only when the licence is valid and its document, if any, is intact.
 */
export async function verifyLicense(deps: IssuingDeps, id: string): Promise<LicenseVerification | undefined> {
  const license = await deps.registries.licenses.find(id);
  if (!license) return undefined;
  const status = effectiveStatus(license, deps.clock.now());
  let signature: LicenseVerification['signature'] = null;
  if (license.documentSha256) {
    const bytes = await deps.storage.get(license.documentSha256).catch(() => undefined);
    if (!bytes) {
      signature = { valid: false, signer: null, signedAt: null, coversWholeDocument: false, trusted: false, problems: ['document missing from storage'], documentMatches: false };
    } else {
      const { sha256, check } = await checkSignatures(deps, bytes);
      const documentMatches = sha256 === license.documentSha256;
      signature = check
        ? { ...check, documentMatches, valid: check.valid && documentMatches }
        : { valid: false, signer: null, signedAt: null, coversWholeDocument: false, trusted: false, problems: ['document not signed'], documentMatches };
    }
  }
  return {
    valid: status === 'valid' && (signature === null || (signature.valid && signature.trusted)),
    status,
    holderName: maskName(license.holderName),
    type: license.typeName,
    number: license.number,
    issuer: license.issuerName,
    validUntil: license.validUntil,
    signature,
  };
}

export interface ReceivedDocumentVerification {
  signature: SignatureCheck | null;
  /** A document this platform issued, found by its exact bytes. */
  issuedHere: boolean;
  kind: string | null;
  license: { id: string; status: EffectiveStatus; type: string; number: string; holderName: string; validUntil: string | null } | null;
}

/** `POST /licenses/verify`: a PDF someone received: its signatures intact, and whether it is one this platform issued. */
export async function verifyReceivedDocument(deps: IssuingDeps, bytes: Uint8Array): Promise<ReceivedDocumentVerification> {
  const { sha256, check } = await checkSignatures(deps, bytes);
  const document = await deps.knex('documents').where({ sha256 }).first('kind', 'license_id');
  const license = document?.license_id ? await deps.registries.licenses.find(document.license_id) : undefined;
  return {
    signature: check,
    issuedHere: Boolean(document),
    kind: document?.kind ?? null,
    license: license
      ? {
          id: license.id,
          status: effectiveStatus(license, deps.clock.now()),
          type: license.typeName,
          number: license.number,
          holderName: maskName(license.holderName),
          validUntil: license.validUntil,
        }
      : null,
  };
}
