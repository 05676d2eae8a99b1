import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFObject } from 'pdf-lib';
import { loadSharp } from '../../server/images/sharp';
import type { MediaType } from './layout';

export interface ContentFindings {
  /** Why the file does not open in its declared format. */
  usability: string[];
  /** Encryption, active or executable content. */
  security: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Opens a file as its declared format and looks for what must not be archived; never throws. */
export async function checkContent(bytes: Uint8Array, mediaType: MediaType | undefined): Promise<ContentFindings> {
  const findings: ContentFindings = { usability: [], security: [] };
  const executable = executableContent(bytes);
  if (executable) findings.security.push(executable);
  switch (mediaType) {
    case 'application/pdf':
      await checkPdf(bytes, findings);
      break;
    case 'image/jpeg':
    case 'image/png':
      await checkImage(bytes, mediaType === 'image/jpeg' ? 'jpeg' : 'png', findings);
      break;
    case 'application/json':
      try {
        JSON.parse(utf8.decode(bytes));
      } catch (error) {
        findings.usability.push(`it is not JSON in UTF-8: ${(error as Error).message} (不是有效的 UTF-8 JSON)`);
      }
      break;
    case undefined:
      break;
  }
  return findings;
}

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const MAGIC: [signature: number[], what: string, chinese: string][] = [
  [ascii('MZ'), 'a Windows executable (MZ header)', 'Windows 可执行程序'],
  [[0x7f, ...ascii('ELF')], 'a Linux executable (ELF)', 'Linux 可执行程序'],
  [[0xfe, 0xed, 0xfa, 0xce], 'a macOS executable (Mach-O)', 'macOS 可执行程序'],
  [[0xfe, 0xed, 0xfa, 0xcf], 'a macOS executable (Mach-O)', 'macOS 可执行程序'],
  [[0xce, 0xfa, 0xed, 0xfe], 'a macOS executable (Mach-O)', 'macOS 可执行程序'],
  [[0xcf, 0xfa, 0xed, 0xfe], 'a macOS executable (Mach-O)', 'macOS 可执行程序'],
  [[0xca, 0xfe, 0xba, 0xbe], 'a Java class or macOS universal binary', '可执行程序'],
  [ascii('#!'), 'a script (#! line)', '脚本'],
  [ascii('PK\x03\x04'), 'a zip archive (JAR, APK, Office file) inside the package', '压缩包'],
];

const SCRIPT_START = /^(?:\xEF\xBB\xBF)?\s*<(?:script|\?php|%|html|svg|!doctype html|job|package)\b/i;
const DOS_STUB = Buffer.from('This program cannot be run in DOS mode', 'latin1');

/** Why the bytes are, or carry, a program; undefined when they do not. */
export function executableContent(bytes: Uint8Array): string | undefined {
  for (const [signature, what, chinese] of MAGIC)
    if (startsWith(bytes, signature)) return `it is ${what}, whatever its name says (${chinese})`;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256)).toString('latin1');
  if (SCRIPT_START.test(head)) return 'it is a script or web page (脚本或网页)';
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(DOS_STUB)) {
    return 'it carries a Windows executable inside (a DOS stub) (内嵌 Windows 可执行程序)';
  }
  return undefined;
}

/** Names (keys or values, #xx escapes decoded) that make a PDF do things rather than show them. */
const ACTIVE_PDF: Readonly<Record<string, string>> = {
  JS: 'it contains JavaScript (/JS) (含 JavaScript 脚本)',
  JavaScript: 'it contains JavaScript (/JavaScript) (含 JavaScript 脚本)',
  Launch: 'it has a /Launch action that starts another program (含启动程序动作)',
  EmbeddedFile: 'it carries an embedded file (/EmbeddedFile) (含嵌入文件)',
  EmbeddedFiles: 'it carries embedded files (/EmbeddedFiles) (含嵌入文件)',
  RichMedia: 'it contains rich media (/RichMedia) (含多媒体脚本)',
  XFA: 'it contains an XFA form, which may run scripts (/XFA) (含 XFA 表单)',
};
const ENCRYPTED = 'it is encrypted (/Encrypt) (已加密)';

const decodeName = (name: string) => name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const RAW_NAME = /\/([^\s/<>[\]{}()%]+)/g;
const STREAM_BODY = /\bstream(?:\r\n|\r|\n)[\s\S]*?\bendstream\b/g;

async function checkPdf(bytes: Uint8Array, findings: ContentFindings): Promise<void> {
  const found = new Set<string>();
  // Outside stream bodies (binary fonts and images would give chance matches): the objects as a reader sees them even when the parser gives up.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').replace(STREAM_BODY, 'stream endstream');
  for (const [, raw] of text.matchAll(RAW_NAME)) {
    const name = decodeName(raw);
    if (name in ACTIVE_PDF) found.add(ACTIVE_PDF[name]);
    else if (name === 'Encrypt') found.add(ENCRYPTED);
  }
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
    if (document.getPageCount() < 1) throw new Error('it has no pages');
  } catch (error) {
    findings.usability.push(`pdf-lib cannot open it as a PDF: ${(error as Error).message} (PDF 无法打开)`);
    findings.security.push(...found);
    return;
  }
  if (document.isEncrypted) found.add(ENCRYPTED);
  // Objects inside compressed object streams are seen only here, after the parser unpacked them.
  for (const [, object] of document.context.enumerateIndirectObjects()) activeNames(object, found);
  findings.security.push(...found);
}

function activeNames(object: PDFObject, found: Set<string>): void {
  if (object instanceof PDFName) {
    const name = decodeName(object.decodeText());
    if (name in ACTIVE_PDF) found.add(ACTIVE_PDF[name]);
  } else if (object instanceof PDFDict || object instanceof PDFStream) {
    const dict = object instanceof PDFStream ? object.dict : object;
    for (const [key, value] of dict.entries()) {
      activeNames(key, found);
      activeNames(value, found);
    }
  } else if (object instanceof PDFArray) {
    for (const item of object.asArray()) activeNames(item, found);
  }
}

async function checkImage(bytes: Uint8Array, format: 'jpeg' | 'png', findings: ContentFindings): Promise<void> {
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes).metadata();
    if (meta.format !== format)
      findings.usability.push(`it is declared ${format.toUpperCase()} but sharp reads ${meta.format} (格式与声明不符)`);
    else if (!meta.width || !meta.height) findings.usability.push('sharp reads no picture size from its header (图像尺寸无法读取)');
  } catch (error) {
    findings.usability.push(`sharp cannot read it as ${format.toUpperCase()}: ${(error as Error).message} (图像无法打开)`);
  }
}
