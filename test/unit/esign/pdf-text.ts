import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFObject } from 'pdf-lib';

/** What a page shows, read back from the PDF: the text of its text-showing operators and its image XObjects. */
export interface PageContent {
  /** Each string shown (`Tj`), decoded through its font's ToUnicode map. */
  strings: string[];
  images: Array<{ name: string; width: number; height: number; bitsPerComponent: number }>;
  fonts: string[];
}

const decode = (stream: PDFObject | undefined) =>
  stream instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1') : '';

const hex = (s: string) => s.replace(/[<>\s]/g, '');

/** A ToUnicode CMap (bfchar and bfrange, as pdf-lib writes them) as code → text. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (h: string) => Buffer.from(h, 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(m[1].toUpperCase(), utf16(m[2]));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      const targets = m[3].startsWith('[') ? [...m[3].matchAll(/<([0-9A-Fa-f]+)>/g)].map((t) => t[1]) : undefined;
      for (let code = lo; code <= hi; code++) {
        const key = code.toString(16).toUpperCase().padStart(m[1].length, '0');
        if (targets) map.set(key, utf16(targets[code - lo]));
        else {
          const base = Buffer.from(hex(m[3]), 'hex');
          base.writeUInt16BE(base.readUInt16BE(base.length - 2) + code - lo, base.length - 2);
          map.set(key, utf16(base.toString('hex')));
        }
      }
    }
  }
  return map;
}

export async function pageContents(pdf: Uint8Array): Promise<PageContent[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const resources = page.node.Resources()!;
    const fontDict = resources.lookupMaybe(PDFName.of('Font'), PDFDict);
    const maps = new Map<string, Map<string, string>>();
    const fonts: string[] = [];
    for (const [name, ref] of fontDict?.entries() ?? []) {
      const font = doc.context.lookup(ref, PDFDict);
      fonts.push(font.lookup(PDFName.of('BaseFont'))!.toString());
      maps.set(name.toString(), toUnicode(decode(font.lookup(PDFName.of('ToUnicode')))));
    }
    const images: PageContent['images'] = [];
    for (const [name, ref] of resources.lookupMaybe(PDFName.of('XObject'), PDFDict)?.entries() ?? []) {
      const xobject = doc.context.lookup(ref as PDFRef);
      if (!(xobject instanceof PDFRawStream) || xobject.dict.get(PDFName.of('Subtype'))?.toString() !== '/Image') continue;
      const number = (key: string) => Number(xobject.dict.get(PDFName.of(key))!.toString());
      images.push({
        name: name.toString(),
        width: number('Width'),
        height: number('Height'),
        bitsPerComponent: number('BitsPerComponent'),
      });
    }
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    const strings: string[] = [];
    let map = new Map<string, string>();
    for (const content of streams.map((s) => decode(s as PDFObject))) {
      for (const m of content.matchAll(/(\/[^\s/]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
        if (m[1]) map = maps.get(m[1]) ?? new Map();
        else strings.push((m[2].match(/.{4}/g) ?? []).map((code) => map.get(code.toUpperCase()) ?? '\uFFFD').join(''));
      }
    }
    return { strings, images, fonts };
  });
}

/** All the text of a PDF, the strings of each page joined without separators (CJK lines break anywhere). */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await pageContents(pdf)).map((p) => p.strings.join('')).join('\n');
}
