import { OcrUnsupportedInput } from './errors';

export type InputKind = 'jpeg' | 'png' | 'pdf';

const startsWith = (bytes: Buffer, signature: number[], at = 0): boolean => signature.every((b, i) => bytes[at + i] === b);

/** What the first bytes are, for the error message when it is none of ours. */
function describe(bytes: Buffer): string {
  if (bytes.length === 0) return 'an empty file';
  if (startsWith(bytes, [0x4d, 0x5a])) return 'a Windows executable';
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return 'an ELF executable';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive or an Office document';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'a WebP image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  return 'unknown data';
}

/** JPEG, PNG or PDF, told by the magic bytes alone: the declared MIME type is only checked against them. */
export function detectInput(bytes: Buffer, mime?: string): InputKind {
  let kind: InputKind | undefined;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) kind = 'jpeg';
  else if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) kind = 'png';
  else if (bytes.subarray(0, 1024).includes('%PDF-')) kind = 'pdf';
  if (!kind) throw new OcrUnsupportedInput(describe(bytes));
  const declared = mime?.toLowerCase().split(';')[0].trim();
  const expected = { jpeg: ['image/jpeg', 'image/jpg', 'image/pjpeg'], png: ['image/png'], pdf: ['application/pdf'] }[kind];
  if (declared && declared !== 'application/octet-stream' && !expected.includes(declared)) {
    throw new OcrUnsupportedInput(kind, `the file is a ${kind.toUpperCase()} but was declared as ${declared}`);
  }
  return kind;
}
