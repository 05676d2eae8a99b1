/** The file types a material may be, as matter.json names them, told by their bytes and never by their name. */
export type MaterialFileType = 'jpg' | 'png' | 'pdf';

export const MEDIA_TYPES: Readonly<Record<MaterialFileType, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
};

const startsWith = (bytes: Buffer, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);

/** What the bytes are: JPEG (FF D8 FF), PNG (its 8-byte signature), PDF (`%PDF-` within the first 1 KB, as readers allow); else undefined. */
export function sniffFileType(bytes: Buffer): MaterialFileType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  const head = bytes.subarray(0, 1024).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return undefined;
}
