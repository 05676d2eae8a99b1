/**
 * Licence and letter PDFs, signed by the issuing department (PAdES baseline B-B), and their verification.
 * shared/JOBS.md `esign` and `license-publish` call these; keys come from a KeyStore made once per process.
 */
export { createKeyStore, issuingDepartments, certificatesFromPem } from './keys';
export type { Department, DepartmentSigner, KeyStore, KeyStoreConfig, Pkcs12Source } from './keys';
export { renderLicense, licenseSheet } from './license-document';
export type { LicenseDocumentOptions, LicenseForDocument, LicenseSheet } from './license-document';
export { renderDecision, renderAcceptanceNotice, renderRefusalNotice } from './letters';
export type { AcceptanceNoticeInput, DecisionInput, LetterOptions } from './letters';
export { signPdf } from './sign';
export type { SignOptions, SigningIdentity } from './sign';
export { verifyPdf } from './verify';
export type { SignatureReport, SignerReport, VerificationReport, VerifyOptions } from './verify';
export { EsignError } from './errors';
export type { EsignErrorCode } from './errors';
