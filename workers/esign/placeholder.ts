import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { documentInvalid } from './errors';

export const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 /********** /********** /**********]';

export interface PlaceholderOptions {
  subFilter: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';
  reason: string;
  location?: string;
  name?: string;
  contactInfo?: string;
  signingTime: Date;
  /** Bytes reserved for the CMS (twice as many hex digits). */
  signatureLength: number;
  /** The page the (invisible) signature field belongs to; the first by default. */
  pageIndex?: number;
}

/**
 * Appends an incremental update holding an empty signature: a signature dictionary with the ByteRange and Contents
 * placeholders @signpdf/signpdf fills, an invisible widget on the page, the field in the AcroForm. Earlier bytes are
 * left as they are, so signatures already in the file stay valid. A file whose last cross-reference section is a
 * stream is first rewritten with a table, which is allowed only while it has no signature.
 */
export async function addSignaturePlaceholder(input: Uint8Array, options: PlaceholderOptions): Promise<Buffer> {
  let pdf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let doc = await load(pdf);
  let previous = lastXrefOffset(pdf);
  if (pdf.subarray(previous, previous + 4).toString('latin1') !== 'xref') {
    if (pdf.includes('/ByteRange'))
      throw documentInvalid('cannot add a signature to a signed PDF whose cross-reference section is a stream');
    pdf = Buffer.from(await doc.save({ useObjectStreams: false }));
    doc = await load(pdf);
    previous = lastXrefOffset(pdf);
  }
  const { context } = doc;
  if (context.trailerInfo.Encrypt) throw documentInvalid('cannot sign an encrypted PDF');
  const pageIndex = options.pageIndex ?? 0;
  if (pageIndex < 0 || pageIndex >= doc.getPageCount()) throw documentInvalid(`the PDF has no page ${pageIndex + 1}`);
  const page = doc.getPage(pageIndex);
  const catalogRef = context.trailerInfo.Root;
  if (!(catalogRef instanceof PDFRef)) throw documentInvalid('the PDF trailer has no /Root reference');

  const changed = new Map<PDFRef, PDFObject | string>();
  const signatureRef = context.nextRef();
  const widgetRef = context.nextRef();

  const form = acroForm(doc, catalogRef, changed);
  const fields = arrayIn(doc, form.dict, form.ref, 'Fields', changed);
  const fieldName = uniqueFieldName(doc, fields);
  fields.push(widgetRef);
  form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  arrayIn(doc, page.node, page.ref, 'Annots', changed).push(widgetRef);

  changed.set(
    widgetRef,
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      V: signatureRef,
      T: PDFHexString.fromText(fieldName),
      F: 132,
      P: page.ref,
    }),
  );
  changed.set(signatureRef, signatureDictionary(options));

  return appendUpdate(pdf, doc, changed, previous, catalogRef);
}

async function load(pdf: Buffer): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(pdf, { updateMetadata: false });
  } catch (error) {
    throw documentInvalid(`not a readable PDF: ${(error as Error).message}`, error);
  }
}

function lastXrefOffset(pdf: Buffer): number {
  const tail = pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1');
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) throw documentInvalid('the PDF does not end with startxref and %%EOF');
  return Number(m[1]);
}

function acroForm(doc: PDFDocument, catalogRef: PDFRef, changed: Map<PDFRef, PDFObject | string>): { dict: PDFDict; ref: PDFRef } {
  const raw = doc.catalog.get(PDFName.of('AcroForm'));
  if (raw instanceof PDFRef) {
    const dict = doc.context.lookup(raw, PDFDict);
    changed.set(raw, dict);
    return { dict, ref: raw };
  }
  changed.set(catalogRef, doc.catalog);
  if (raw instanceof PDFDict) return { dict: raw, ref: catalogRef };
  const ref = doc.context.nextRef();
  const dict = doc.context.obj({});
  doc.catalog.set(PDFName.of('AcroForm'), ref);
  changed.set(ref, dict);
  return { dict, ref };
}

/** The array `key` of `dict` (written back where it lives: its own object, or the dictionary's), made if missing. */
function arrayIn(doc: PDFDocument, dict: PDFDict, dictRef: PDFRef, key: string, changed: Map<PDFRef, PDFObject | string>): PDFArray {
  const raw = dict.get(PDFName.of(key));
  if (raw instanceof PDFRef) {
    const array = doc.context.lookup(raw, PDFArray);
    changed.set(raw, array);
    return array;
  }
  changed.set(dictRef, dict);
  if (raw instanceof PDFArray) return raw;
  const array = doc.context.obj([]);
  dict.set(PDFName.of(key), array);
  return array;
}

function uniqueFieldName(doc: PDFDocument, fields: PDFArray): string {
  const taken = new Set<string>();
  for (const ref of fields.asArray()) {
    const field = doc.context.lookup(ref);
    const name = field instanceof PDFDict ? field.lookup(PDFName.of('T')) : undefined;
    if (name instanceof PDFString || name instanceof PDFHexString) taken.add(name.decodeText());
  }
  let n = 1;
  while (taken.has(`Signature${n}`)) n++;
  return `Signature${n}`;
}

/** `D:YYYYMMDDHHmmSS+08'00'`, China Standard Time. */
export function pdfDate(date: Date): string {
  const cst = new Date(date.getTime() + 8 * 3600 * 1000).toISOString();
  return `D:${cst.slice(0, 4)}${cst.slice(5, 7)}${cst.slice(8, 10)}${cst.slice(11, 13)}${cst.slice(14, 16)}${cst.slice(17, 19)}+08'00'`;
}

function signatureDictionary(options: PlaceholderOptions): string {
  const text = (value: string) => PDFHexString.fromText(value).toString();
  return [
    '<<',
    '/Type /Sig',
    '/Filter /Adobe.PPKLite',
    `/SubFilter /${options.subFilter}`,
    BYTE_RANGE_PLACEHOLDER,
    `/Contents <${'0'.repeat(options.signatureLength * 2)}>`,
    `/M (${pdfDate(options.signingTime)})`,
    `/Reason ${text(options.reason)}`,
    ...(options.location ? [`/Location ${text(options.location)}`] : []),
    ...(options.name ? [`/Name ${text(options.name)}`] : []),
    ...(options.contactInfo ? [`/ContactInfo ${text(options.contactInfo)}`] : []),
    '/Prop_Build << /App << /Name /approvals-platform >> >>',
    '>>',
  ].join('\n');
}

function serialize(object: PDFObject): Buffer {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return Buffer.from(bytes);
}

function appendUpdate(pdf: Buffer, doc: PDFDocument, changed: Map<PDFRef, PDFObject | string>, previous: number, root: PDFRef): Buffer {
  const parts: Buffer[] = [pdf];
  let length = pdf.length;
  const push = (part: Buffer | string) => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    parts.push(bytes);
    length += bytes.length;
  };
  if (pdf[pdf.length - 1] !== 0x0a) push('\n');
  const entries = [...changed.entries()].sort(([a], [b]) => a.objectNumber - b.objectNumber);
  const offsets = new Map<number, { offset: number; generation: number }>();
  for (const [ref, object] of entries) {
    offsets.set(ref.objectNumber, { offset: length, generation: ref.generationNumber });
    push(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    push(typeof object === 'string' ? object : serialize(object));
    push('\nendobj\n');
  }
  const xrefOffset = length;
  push('xref\n');
  const numbers = [...offsets.keys()];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    push(`${numbers[i]} ${j - i + 1}\n`);
    for (const n of numbers.slice(i, j + 1)) {
      const { offset, generation } = offsets.get(n)!;
      push(`${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} n\r\n`);
    }
    i = j + 1;
  }
  const previousSize = Number(/\/Size\s+(\d+)(?![\s\S]*\/Size\s)/.exec(pdf.subarray(previous).toString('latin1'))?.[1] ?? 0);
  const size = Math.max(previousSize, doc.context.largestObjectNumber + 1);
  const { Info, ID } = doc.context.trailerInfo;
  const trailer = [`/Size ${size}`, `/Root ${root.toString()}`];
  if (Info) trailer.push(`/Info ${Info.toString()}`);
  if (ID) trailer.push(`/ID ${ID.toString()}`);
  trailer.push(`/Prev ${previous}`);
  push(`trailer\n<< ${trailer.join(' ')} >>\nstartxref\n${xrefOffset}\n%%EOF\n`);
  return Buffer.concat(parts);
}
