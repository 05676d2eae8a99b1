import crypto from 'node:crypto';
import type { AuditRow } from '../../server/audit/chain';
import { canonicalJson } from '../../server/audit/canonical-json';
import { sniffFileType } from '../../server/applications/file-type';
import { ArchiveError } from './errors';
import {
  AUDIT,
  DECISIONS,
  DOCUMENTS_DIR,
  FILE_EXTENSION,
  FINDINGS,
  FORM,
  MANIFEST,
  MANIFEST_SIGNATURE,
  MATERIALS_DIR,
  METADATA,
  NAME_PART,
  OCR,
  numbered,
  type MediaType,
} from './layout';
import { MANIFEST_VERSION, signedBytes, type Manifest, type ManifestFile, type ManifestSigner } from './manifest';
import { recordProblems, type CaseRecord } from './record';
import { writeZip } from './zip';

/** An uploaded material: JPEG, PNG or PDF. */
export interface ArchiveMaterial {
  /** The matter's material code, e.g. HP-03; a material of several files appears once per file. */
  code: string;
  /** e.g. 营业执照 */
  name: string;
  /** As uploaded. */
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
}

export type DocumentKind = 'licence' | 'decision' | 'acceptance-notice' | 'refusal-notice';

/** A signed PDF the case produced (workers/esign). */
export interface ArchiveDocument {
  kind: DocumentKind;
  fileName: string;
  bytes: Uint8Array;
}

/** Everything of a closed case that goes into its package. The JSON parts are stored as given (canonical JSON). */
export interface ClosedCase {
  record: CaseRecord;
  form: unknown;
  materials: ArchiveMaterial[];
  /** OCR results, per material. */
  ocr: unknown;
  /** Review findings. */
  findings: unknown;
  /** The timeline and decisions. */
  decisions: unknown;
  documents: ArchiveDocument[];
  /** The case's rows of the audit log, with their hashes. */
  auditExtract: AuditRow[];
}

export interface BuildOptions {
  /** Signs manifest.json: the platform key (server/audit/platform-key.ts). */
  platformKey: ManifestSigner;
  /** The manifest's createdAt; now by default. The same case, time and key give the same bytes. */
  createdAt?: Date;
}

export interface ArchivePackage {
  bytes: Buffer;
  manifest: Manifest;
  archiveId: string;
}

const BINARY_TYPES: Readonly<Record<string, MediaType>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
};

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
const sniff = (bytes: Uint8Array) => sniffFileType(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * The archive package of a closed case (GB/T 42727-2023): a deterministic zip of metadata.json, the form, the
 * materials, OCR results, findings, decisions, signed documents and audit extract, with manifest.json (SHA-256 of
 * every file) and manifest.sig. Throws ArchiveError ARCHIVE_INPUT_INVALID, naming every problem, when the record is
 * incomplete or a file is not in a lasting format. The files' content (signatures, active PDF content) is judged
 * by verifyArchivePackage, not here.
 */
export async function buildArchivePackage(input: ClosedCase, options: BuildOptions): Promise<ArchivePackage> {
  const problems = recordProblems(input.record).map((problem) => `record: ${problem}`);
  const json = (label: string, value: unknown): Buffer => {
    try {
      return Buffer.from(canonicalJson(value, label), 'utf8');
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
      return Buffer.alloc(0);
    }
  };

  const materials = input.materials.map((material, i) => {
    const label = `material ${i + 1} (${material.code} ${material.fileName})`;
    const declared = Object.values(BINARY_TYPES).find((type) => type === material.mediaType);
    const sniffed = sniff(material.bytes);
    if (!NAME_PART.test(material.code)) problems.push(`${label}: the code may hold only letters, digits, "-" and "_"`);
    if (!declared) problems.push(`${label}: ${material.mediaType} is not a lasting format (JPEG, PNG or PDF)`);
    else if (!sniffed || BINARY_TYPES[sniffed] !== declared) problems.push(`${label}: the bytes are not ${declared}`);
    return {
      path: numbered(MATERIALS_DIR, i + 1, material.code, FILE_EXTENSION[declared ?? 'application/pdf']),
      mediaType: declared ?? 'application/pdf',
      material,
    };
  });
  const documents = input.documents.map((document, i) => {
    if (!NAME_PART.test(document.kind))
      problems.push(`document ${i + 1}: kind "${document.kind}" may hold only letters, digits, "-" and "_"`);
    if (sniff(document.bytes) !== 'pdf') problems.push(`document ${i + 1} (${document.kind}): the bytes are not a PDF`);
    return { path: numbered(DOCUMENTS_DIR, i + 1, document.kind, 'pdf'), document };
  });

  const metadata = json('metadata', {
    ...input.record,
    materials: materials.map(({ path, mediaType, material }) => ({
      path,
      code: material.code,
      name: material.name,
      fileName: material.fileName,
      mediaType,
    })),
    documents: documents.map(({ path, document }) => ({ path, kind: document.kind, fileName: document.fileName })),
  });
  const ordered: [path: string, mediaType: MediaType, bytes: Uint8Array][] = [
    [METADATA, 'application/json', metadata],
    [FORM, 'application/json', json('form', input.form)],
    ...materials.map(({ path, mediaType, material }): [string, MediaType, Uint8Array] => [path, mediaType, material.bytes]),
    [OCR, 'application/json', json('ocr', input.ocr)],
    [FINDINGS, 'application/json', json('findings', input.findings)],
    [DECISIONS, 'application/json', json('decisions', input.decisions)],
    ...documents.map(({ path, document }): [string, MediaType, Uint8Array] => [path, 'application/pdf', document.bytes]),
    [AUDIT, 'application/json', json('auditExtract', input.auditExtract)],
  ];
  if (problems.length) throw new ArchiveError('ARCHIVE_INPUT_INVALID', problems);

  const files: ManifestFile[] = ordered.map(([path, mediaType, bytes], i) => ({
    seq: i + 1,
    path,
    mediaType,
    size: bytes.length,
    sha256: sha256(bytes),
  }));
  const manifest: Manifest = {
    version: MANIFEST_VERSION,
    archiveId: input.record.archiveId,
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    files,
    metadataSha256: files[0].sha256,
  };
  const manifestBytes = signedBytes(manifest);
  const entries = new Map<string, Uint8Array>(ordered.map(([path, , bytes]) => [path, bytes]));
  entries.set(MANIFEST, manifestBytes);
  entries.set(MANIFEST_SIGNATURE, Buffer.from(options.platformKey.sign(manifestBytes), 'ascii'));
  const bytes = writeZip(entries, (path) => !path.endsWith('.json') && path !== MANIFEST_SIGNATURE);
  return { bytes, manifest, archiveId: manifest.archiveId };
}
