/** The lasting formats a package may hold (GB/T 42727: formats fit for long-term keeping), by media type. */
export const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/json'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const EXTENSION_MEDIA_TYPES: Readonly<Record<string, MediaType>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  json: 'application/json',
};

export const FILE_EXTENSION: Readonly<Record<MediaType, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/json': 'json',
};

export const MANIFEST = 'manifest.json';
export const MANIFEST_SIGNATURE = 'manifest.sig';
export const METADATA = 'metadata.json';
export const FORM = 'form.json';
export const OCR = 'ocr.json';
export const FINDINGS = 'findings.json';
export const DECISIONS = 'decisions.json';
export const AUDIT = 'audit.json';

export const MATERIALS_DIR = 'materials';
export const DOCUMENTS_DIR = 'documents';

/** The JSON files at the root besides the manifest, in the order of the case. */
export const ROOT_FILES = [METADATA, FORM, OCR, FINDINGS, DECISIONS, AUDIT] as const;

/** A material code or document kind as it may appear in a file name. */
export const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const NUMBERED = /^(materials|documents)\/(\d{3,})-([A-Za-z0-9][A-Za-z0-9_-]*)\.([a-z0-9]+)$/;

export const numbered = (dir: string, seq: number, name: string, extension: string) =>
  `${dir}/${String(seq).padStart(3, '0')}-${name}.${extension}`;

export interface NumberedPath {
  dir: typeof MATERIALS_DIR | typeof DOCUMENTS_DIR;
  seq: number;
  name: string;
  extension: string;
}

/** `materials/002-HP-03.jpg` → its parts; undefined for any other path. */
export function parseNumbered(path: string): NumberedPath | undefined {
  const m = NUMBERED.exec(path);
  if (!m) return undefined;
  return { dir: m[1] as NumberedPath['dir'], seq: Number(m[2]), name: m[3], extension: m[4] };
}

/** A path of this package layout: a root file or a numbered material (PDF or image) or document (PDF). */
export function inLayout(path: string): boolean {
  if ((ROOT_FILES as readonly string[]).includes(path)) return true;
  const parts = parseNumbered(path);
  if (!parts) return false;
  return parts.dir === DOCUMENTS_DIR ? parts.extension === 'pdf' : ['pdf', 'jpg', 'jpeg', 'png'].includes(parts.extension);
}

export const extensionOf = (path: string) => /\.([^./]+)$/.exec(path)?.[1].toLowerCase();

/** Why an entry name could write outside the folder it is unpacked into (zip-slip), or undefined when it cannot. */
export function unsafePathReason(name: string): string | undefined {
  if (name.length === 0) return 'the entry has an empty name';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the entry name holds control characters';
  if (name.includes('\\')) return 'the entry name holds a backslash, a folder separator on Windows';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'the entry name is an absolute path';
  if (name.split('/').some((segment) => segment === '..')) return 'the entry name climbs out of the package with ".."';
  return undefined;
}
