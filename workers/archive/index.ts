/**
 * Archive packages of closed cases (GB/T 42727-2023) and their four-property check (四性检测, DA/T 70-2018).
 * shared/JOBS.md `archive` builds one per case; the verify call checks one, a VerifyPool many on several cores.
 */
export { buildArchivePackage } from './build';
export type { ArchiveDocument, ArchiveMaterial, ArchivePackage, BuildOptions, ClosedCase, DocumentKind } from './build';
export { verifyArchivePackage, VERIFY_DEFAULTS } from './verify';
export type { VerifyArchiveOptions } from './verify';
export { VerifyPool, VERIFY_POOL_DEFAULTS } from './pool';
export type { VerifyPoolOptions } from './pool';
export { ARCHIVE_PROPERTIES } from './report';
export type { ArchiveFailure, ArchiveProperty, ArchiveVerification, PropertyCheck } from './report';
export { CASE_OUTCOMES, recordProblems } from './record';
export type { CaseOutcome, CaseRecord } from './record';
export { MANIFEST_VERSION } from './manifest';
export type { Manifest, ManifestFile, ManifestSigner, PlatformPublicKey } from './manifest';
export { MEDIA_TYPES } from './layout';
export type { MediaType } from './layout';
export { ArchiveError } from './errors';
export type { ArchiveErrorCode } from './errors';
