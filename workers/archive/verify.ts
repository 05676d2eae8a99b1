import crypto, { type X509Certificate } from 'node:crypto';
import { auditExtractProblems, documentSignatureProblems } from './authenticity';
import { checkContent } from './content';
import {
  AUDIT,
  DOCUMENTS_DIR,
  EXTENSION_MEDIA_TYPES,
  MANIFEST,
  MANIFEST_SIGNATURE,
  MEDIA_TYPES,
  METADATA,
  ROOT_FILES,
  extensionOf,
  inLayout,
  parseNumbered,
  unsafePathReason,
  type MediaType,
} from './layout';
import { manifestSchema, signatureCheck, signedBytes, type ParsedManifest, type PlatformPublicKey, type SignatureCheck } from './manifest';
import { recordProblems } from './record';
import { Findings, type ArchiveVerification } from './report';
import { readZip } from './zip';

export interface VerifyArchiveOptions {
  /** The platform key that signed manifest.json: a KeyObject, SPKI PEM, or `(data, signature) => boolean` such as PlatformKey.verify. */
  platformPublicKey: PlatformPublicKey;
  /** Roots the signed documents must chain to (KeyStore.trustAnchors()); without them, signatures are checked for integrity only, not for who made them. */
  trustAnchors?: X509Certificate[];
  /** A package whose entries declare more bytes than this uncompressed is not unpacked further (zip bomb); default 1 GiB. */
  maxUncompressedBytes?: number;
}

export const VERIFY_DEFAULTS = { maxUncompressedBytes: 1024 ** 3 } as const;

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');
const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(bytes: Uint8Array | undefined): { value?: unknown; error?: string } {
  if (!bytes) return {};
  try {
    return { value: JSON.parse(utf8.decode(bytes)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * The four-property check (四性检测, DA/T 70-2018) of an archive package made by buildArchivePackage. Every problem
 * is a failure naming its property, file and reason; a damaged or hostile package is reported, never thrown. Throws
 * only on a wrong option (a platform key that is not Ed25519).
 */
export async function verifyArchivePackage(bytes: Uint8Array, options: VerifyArchiveOptions): Promise<ArchiveVerification> {
  const checkSignature = signatureCheck(options.platformPublicKey);
  const findings = new Findings();
  let zip;
  try {
    zip = readZip(bytes, { maxUncompressedBytes: options.maxUncompressedBytes ?? VERIFY_DEFAULTS.maxUncompressedBytes });
  } catch (error) {
    const why = `the package is not a readable zip: ${(error as Error).message}`;
    findings.fail('authenticity', undefined, `${why}; nothing in it can be checked against the manifest (无法验证真实性)`);
    findings.fail('integrity', undefined, `${why} (压缩包损坏)`);
    findings.fail('usability', undefined, `${why}, so its files cannot be opened (无法打开)`);
    findings.fail('security', undefined, `${why}, so its content cannot be inspected (无法检查内容)`);
    return findings.result(null);
  }
  for (const problem of zip.problems) findings.fail(problem.kind, problem.name, problem.reason);

  const names = new Set<string>();
  const files = new Map<string, Uint8Array>();
  for (const entry of zip.entries) {
    const unsafe = unsafePathReason(entry.name);
    if (unsafe) findings.fail('security', entry.name, `${unsafe}: unpacking it could write outside the package (zip-slip, 路径越界)`);
    if (entry.name.endsWith('/') && !entry.data?.length) continue;
    names.add(entry.name);
    if (entry.data) files.set(entry.name, entry.data);
    if (entry.name !== MANIFEST_SIGNATURE && !EXTENSION_MEDIA_TYPES[extensionOf(entry.name) ?? '']) {
      findings.fail('security', entry.name, `its extension is not one of the lasting formats PDF, JPEG, PNG, JSON (未知格式)`);
    }
  }

  const manifest = readManifest(files, names, findings, checkSignature);
  const declared = new Map<string, MediaType | undefined>();
  if (manifest) checkListing(manifest, files, names, findings, declared);
  for (const name of ROOT_FILES) {
    if (!names.has(name) && !declared.has(name)) findings.fail('integrity', name, 'a file every package holds is missing (缺少必备文件)');
  }
  for (const name of names) {
    if (name === MANIFEST || name === MANIFEST_SIGNATURE) continue;
    if (manifest && !declared.has(name))
      findings.fail('integrity', name, 'it is in the package but not listed in the manifest (未列入清单)');
    if (!declared.has(name)) declared.set(name, EXTENSION_MEDIA_TYPES[extensionOf(name) ?? '']);
  }

  const metadata = checkMetadata(files, names, manifest, findings);
  const checked = [...files].filter(([name]) => name !== MANIFEST && name !== MANIFEST_SIGNATURE);
  // Opened side by side (image headers are read off the thread), reported in package order.
  const contents = await Promise.all(checked.map(([name, data]) => checkContent(data, declared.get(name))));
  checked.forEach(([name, data], i) => {
    for (const reason of contents[i].usability) findings.fail('usability', name, reason);
    for (const reason of contents[i].security) findings.fail('security', name, reason);
    if (name.startsWith(`${DOCUMENTS_DIR}/`)) {
      for (const reason of documentSignatureProblems(data, options.trustAnchors)) findings.fail('authenticity', name, reason);
    }
  });
  checkAudit(files, findings);
  const metadataId = typeof metadata?.archiveId === 'string' ? metadata.archiveId : null;
  return findings.result(manifest?.archiveId ?? metadataId);
}

function readManifest(
  files: Map<string, Uint8Array>,
  names: Set<string>,
  findings: Findings,
  checkSignature: SignatureCheck,
): ParsedManifest | undefined {
  if (!names.has(MANIFEST)) {
    findings.fail('integrity', MANIFEST, 'the manifest is missing (缺少清单)');
    findings.fail('authenticity', MANIFEST, 'without a manifest no file can be checked against a signed hash (无法验证真实性)');
    return undefined;
  }
  const { value, error } = parseJson(files.get(MANIFEST));
  if (error !== undefined || value === undefined) {
    findings.fail('integrity', MANIFEST, `the manifest does not parse as UTF-8 JSON${error ? `: ${error}` : ''} (清单无法解析)`);
    findings.fail('authenticity', MANIFEST, 'without a readable manifest no file can be checked against a signed hash (无法验证真实性)');
    return undefined;
  }
  const signature = files.get(MANIFEST_SIGNATURE);
  if (!signature) findings.fail('authenticity', MANIFEST_SIGNATURE, 'the manifest signature is missing (缺少清单签名)');
  else {
    let signed: Buffer | undefined;
    try {
      signed = signedBytes(value as ParsedManifest);
    } catch {
      signed = undefined;
    }
    if (!signed || !checkSignature(signed, Buffer.from(signature).toString('latin1'))) {
      findings.fail('authenticity', MANIFEST_SIGNATURE, "it is not the platform key's valid signature of manifest.json (清单签名无效)");
    }
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'the manifest'}: ${issue.message}`);
    findings.fail('integrity', MANIFEST, `the manifest does not follow the manifest format: ${issues.join('; ')} (清单格式错误)`);
    return undefined;
  }
  return parsed.data;
}

function checkListing(
  manifest: ParsedManifest,
  files: Map<string, Uint8Array>,
  names: Set<string>,
  findings: Findings,
  declared: Map<string, MediaType | undefined>,
): void {
  sequenceProblems(
    manifest.files.map((f) => f.seq),
    (n) => `seq ${n}`,
  ).forEach((reason) =>
    findings.fail('integrity', MANIFEST, `the manifest's sequence numbers are not 1, 2, 3… without gaps: ${reason} (序号不连续)`),
  );
  const numbers = new Map<string, number[]>();
  for (const file of manifest.files) {
    const { path } = file;
    if (declared.has(path)) {
      findings.fail('integrity', path, 'the manifest lists it twice (清单重复)');
      continue;
    }
    const mediaType = (MEDIA_TYPES as readonly string[]).includes(file.mediaType) ? (file.mediaType as MediaType) : undefined;
    declared.set(path, mediaType);
    const unsafe = unsafePathReason(path);
    if (unsafe) findings.fail('security', path, `the manifest lists a path that escapes the package: ${unsafe} (路径越界)`);
    if (!mediaType) findings.fail('security', path, `its media type ${file.mediaType} is not one of the lasting formats (未知格式)`);
    else if (EXTENSION_MEDIA_TYPES[extensionOf(path) ?? ''] && EXTENSION_MEDIA_TYPES[extensionOf(path)!] !== mediaType) {
      findings.fail('usability', path, `its extension does not match its declared media type ${mediaType} (扩展名与格式不符)`);
    }
    if (!unsafe && !inLayout(path)) findings.fail('integrity', path, 'it is not a path of the package layout (不符合归档包结构)');
    const numbered = parseNumbered(path);
    if (numbered) numbers.set(numbered.dir, [...(numbers.get(numbered.dir) ?? []), numbered.seq]);
    if (!names.has(path)) {
      findings.fail('integrity', path, 'it is listed in the manifest but missing from the package (文件缺失)');
      continue;
    }
    const data = files.get(path);
    if (!data) {
      findings.fail('authenticity', path, 'it cannot be unpacked, so its hash cannot be checked against the manifest (无法核对哈希值)');
      continue;
    }
    if (data.length !== file.size || sha256(data) !== file.sha256) {
      const size = data.length !== file.size ? ` (${data.length} bytes, not ${file.size})` : '';
      findings.fail(
        'authenticity',
        path,
        `its SHA-256 differs from the manifest${size}: it was changed after archiving (哈希值与清单不符)`,
      );
    }
  }
  for (const [dir, seqs] of numbers) {
    sequenceProblems(seqs, (n) => String(n).padStart(3, '0')).forEach((reason) =>
      findings.fail('integrity', `${dir}/`, `the numbers of ${dir}/ are not 001, 002, 003… without gaps: ${reason} (序号不连续)`),
    );
  }
  const metadata = files.get(METADATA);
  if (metadata && sha256(metadata) !== manifest.metadataSha256) {
    findings.fail('authenticity', METADATA, "its SHA-256 differs from the manifest's metadataSha256 (元数据哈希不符)");
  }
}

/** The numbers must be 1…n, each once. */
function sequenceProblems(seqs: number[], show: (n: number) => string): string[] {
  const problems: string[] = [];
  const count = new Map<number, number>();
  for (const n of seqs) count.set(n, (count.get(n) ?? 0) + 1);
  const missing = Array.from({ length: Math.max(seqs.length, ...seqs, 0) }, (_, i) => i + 1).filter((n) => !count.has(n));
  if (missing.length) problems.push(`${missing.slice(0, 10).map(show).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
  for (const [n, times] of count) if (times > 1) problems.push(`${show(n)} is used ${times} times`);
  const outside = seqs.filter((n) => n < 1);
  if (outside.length) problems.push(`${outside.map(show).join(', ')} cannot be a sequence number`);
  return problems;
}

interface Catalogue {
  archiveId?: unknown;
  materials?: { path?: unknown }[];
  documents?: { path?: unknown }[];
}

function checkMetadata(
  files: Map<string, Uint8Array>,
  names: Set<string>,
  manifest: ParsedManifest | undefined,
  findings: Findings,
): Catalogue | undefined {
  if (!names.has(METADATA)) return undefined;
  const { value } = parseJson(files.get(METADATA));
  if (value === undefined) {
    findings.fail('integrity', METADATA, 'the case metadata cannot be read, so it cannot be complete (元数据无法读取)');
    return undefined;
  }
  for (const problem of recordProblems(value)) findings.fail('integrity', METADATA, `the case record is incomplete: ${problem}`);
  const metadata = value as Catalogue;
  if (manifest && typeof metadata.archiveId === 'string' && metadata.archiveId !== manifest.archiveId) {
    findings.fail('integrity', METADATA, `its archiveId ${metadata.archiveId} is not the manifest's ${manifest.archiveId} (档号不一致)`);
  }
  if (manifest) {
    for (const dir of ['materials', 'documents'] as const) {
      const listed = metadata[dir];
      if (!Array.isArray(listed)) {
        findings.fail('integrity', METADATA, `it has no catalogue of ${dir} (缺少卷内文件目录)`);
        continue;
      }
      const catalogued = new Set(listed.map((item) => item?.path));
      const inManifest = manifest.files.map((f) => f.path).filter((path) => path.startsWith(`${dir}/`));
      for (const path of inManifest) {
        if (!catalogued.has(path))
          findings.fail('integrity', path, `the manifest lists it but metadata.json's ${dir} catalogue does not (卷内目录不符)`);
      }
      for (const path of catalogued) {
        if (!inManifest.includes(path as string))
          findings.fail('integrity', METADATA, `its ${dir} catalogue lists ${String(path)}, which the manifest does not (卷内目录不符)`);
      }
    }
  }
  return metadata;
}

function checkAudit(files: Map<string, Uint8Array>, findings: Findings): void {
  const { value } = parseJson(files.get(AUDIT));
  if (value === undefined) return;
  const { shape, hashes } = auditExtractProblems(value);
  for (const reason of shape) findings.fail('integrity', AUDIT, reason);
  for (const reason of hashes) findings.fail('authenticity', AUDIT, reason);
}
