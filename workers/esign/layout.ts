import crypto from 'node:crypto';
import zlib from 'node:zlib';
import {
  PDFDocument,
  PDFHexString,
  degrees,
  drawImage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setCharacterSpacing,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  TextRenderingMode,
  type Color,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { embedFonts, type DocumentFonts } from './fonts';

export const A4 = { width: 595.28, height: 841.89 } as const;
export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.35, 0.35, 0.35);
export const SEAL_RED = rgb(0.86, 0.08, 0.1);

/** What every document is stamped with; a fixed `createdAt` makes the same input give the same bytes. */
export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
  keywords?: string[];
  createdAt: Date;
}

/**
 * A new PDF whose resource names count up instead of being random and whose file identifier is a hash of the
 * content's identity, so that the same input renders to the same bytes.
 */
export async function newDocument(meta: DocumentMeta, texts: string[]): Promise<{ pdf: PDFDocument; fonts: DocumentFonts }> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  let next = 0;
  pdf.context.addRandomSuffix = (prefix: string) => `${prefix}-${++next}`;
  // node:zlib instead of pako for font files and images: the same format, a fraction of the time.
  pdf.context.flateStream = (contents, dict = {}) =>
    pdf.context.stream(zlib.deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), {
      ...dict,
      Filter: 'FlateDecode',
    });
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  pdf.setAuthor(meta.author);
  if (meta.subject) pdf.setSubject(meta.subject);
  if (meta.keywords) pdf.setKeywords(meta.keywords);
  pdf.setProducer('approvals-platform');
  pdf.setCreator('approvals-platform esign');
  pdf.setCreationDate(meta.createdAt);
  pdf.setModificationDate(meta.createdAt);
  pdf.setLanguage('zh-CN');
  const id = crypto.createHash('md5').update(JSON.stringify({ meta, texts })).digest('hex');
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  const fonts = await embedFonts(pdf, [meta.title, ...texts]);
  return { pdf, fonts };
}

/** Cross-reference table, no object streams: signatures are added as incremental updates (placeholder.ts). */
export const saveDocument = (pdf: PDFDocument) => pdf.save({ useObjectStreams: false });

/** `2024-03-01` → `2024年3月1日` */
export function chineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

export interface TextStyle {
  size: number;
  color?: Color;
  bold?: boolean;
  /** Extra space between characters, in points. */
  spacing?: number;
  align?: 'left' | 'center' | 'right';
}

const NO_LINE_START = new Set('，。、；：？！）」』》〕】”’,.;:?!)]%·…');
const WORD = /[A-Za-z0-9.\-/:_@%#&=?~+]/;

/** Drawing on one page with the document's fonts. */
export class Sheet {
  private font: PDFFont | undefined;

  constructor(
    readonly page: PDFPage,
    readonly fonts: DocumentFonts,
  ) {}

  /** Sets the page's font only when it changes: pdf-lib adds a resource entry for every font it is passed. */
  useFontFor(text: string): void {
    const font = this.fonts.for(text);
    if (font !== this.font) this.page.setFont(font);
    this.font = font;
  }

  width(text: string, style: TextStyle): number {
    const chars = [...text].length;
    return this.fonts.for(text).widthOfTextAtSize(text, style.size) + (style.spacing ?? 0) * Math.max(chars - 1, 0);
  }

  /** One line at (x, y), x being the left edge, centre or right edge by `align`. */
  text(text: string, x: number, y: number, style: TextStyle): void {
    if (text === '') return;
    const width = this.width(text, style);
    const left = style.align === 'center' ? x - width / 2 : style.align === 'right' ? x - width : x;
    const color = style.color ?? BLACK;
    const state = [pushGraphicsState()];
    if (style.spacing) state.push(setCharacterSpacing(style.spacing));
    // Faux bold: the glyphs stroked as well as filled; one weight of the font is committed, not two.
    if (style.bold)
      state.push(setTextRenderingMode(TextRenderingMode.FillAndOutline), setLineWidth(style.size * 0.035), setStrokingColor(color));
    this.page.pushOperators(...state);
    this.useFontFor(text);
    this.page.drawText(text, { x: left, y, size: style.size, color });
    this.page.pushOperators(popGraphicsState());
  }

  /** Lines of at most `width` points: CJK breaks between any two characters, Latin words and numbers stay whole. */
  wrap(text: string, width: number, style: TextStyle, firstIndent = 0): string[] {
    const tokens = text.match(new RegExp(`${WORD.source}+|[\\s\\S]`, 'gu')) ?? [];
    const lines: string[] = [];
    let line = '';
    let room = width - firstIndent;
    for (const token of tokens) {
      if (token === '\n') {
        lines.push(line);
        line = '';
        room = width;
        continue;
      }
      const candidate = line + token;
      if (line === '' || this.width(candidate, style) <= room || NO_LINE_START.has(token[0])) {
        line = candidate;
        continue;
      }
      if (this.width(token, style) > width) {
        for (const ch of token) {
          if (line !== '' && this.width(line + ch, style) > room) {
            lines.push(line);
            line = '';
            room = width;
          }
          line += ch;
        }
        continue;
      }
      lines.push(line);
      line = token.trimStart();
      room = width;
    }
    if (line !== '') lines.push(line);
    return lines;
  }

  /** A wrapped paragraph whose first baseline is `y`; returns the baseline after its last line. */
  paragraph(text: string, x: number, y: number, width: number, style: TextStyle & { lineHeight: number; indent?: number }): number {
    const indent = style.indent ?? 0;
    this.wrap(text, width, style, indent).forEach((line, i) => {
      this.text(line, i === 0 ? x + indent : x, y, { ...style, align: 'left' });
      y -= style.lineHeight;
    });
    return y;
  }
}

/**
 * The QR code of `url` as a 1-bit grey image (an Image XObject, one sample per module, a two-module quiet zone),
 * drawn with its bottom-left corner at (x, y): no PNG to encode and decode, and sharp at any size.
 */
export function drawQrCode(pdf: PDFDocument, page: PDFPage, url: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const side = modules.size + 2 * quiet;
  const rowBytes = Math.ceil(side / 8);
  const samples = Buffer.alloc(rowBytes * side, 0xff);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.data[row * modules.size + col]) continue;
      const bit = col + quiet;
      samples[(row + quiet) * rowBytes + (bit >> 3)] &= ~(0x80 >> (bit & 7));
    }
  }
  const image = pdf.context.flateStream(samples, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: side,
    Height: side,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
    Interpolate: false,
  });
  const name = page.node.newXObject('QR', pdf.context.register(image));
  page.pushOperators(...drawImage(name, { x, y, width: size, height: size, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
}

/**
 * The department's seal as drawn on paper: a red ring, its name along the upper arc, a star, the seal's purpose
 * below. It shows who issued the document; the proof is the digital signature, not this drawing.
 */
export function drawSeal(sheet: Sheet, cx: number, cy: number, radius: number, name: string, purpose: string): void {
  const { page } = sheet;
  page.drawCircle({ x: cx, y: cy, size: radius, borderColor: SEAL_RED, borderWidth: radius * 0.05, opacity: 0, borderOpacity: 0.9 });
  const chars = [...name];
  // Characters sit on an arc of at most 240° at a radius that leaves room for them inside the ring.
  const k = (240 * Math.PI) / 180 / (Math.max(chars.length, 1) * 1.08);
  const size = Math.min(radius * 0.22, (radius * 0.88 * k) / (1 + k));
  const textRadius = radius * 0.88 - size;
  const span = Math.min(240, ((chars.length - 1) * size * 1.08 * 180) / (Math.PI * textRadius));
  chars.forEach((ch, i) => {
    const angle = 90 + span / 2 - (chars.length === 1 ? span / 2 : (span * i) / (chars.length - 1));
    const theta = (angle * Math.PI) / 180;
    const rotation = angle - 90;
    const r = (rotation * Math.PI) / 180;
    const w = sheet.width(ch, { size });
    const px = cx + textRadius * Math.cos(theta);
    const py = cy + textRadius * Math.sin(theta);
    sheet.useFontFor(ch);
    page.drawText(ch, {
      x: px - (w / 2) * Math.cos(r),
      y: py - (w / 2) * Math.sin(r),
      size,
      color: SEAL_RED,
      rotate: degrees(rotation),
      opacity: 0.9,
    });
  });
  const star = radius * 0.28;
  const points = Array.from({ length: 10 }, (_, i) => {
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 === 0 ? star : star * 0.38;
    return `${(r * Math.cos(a)).toFixed(2)} ${(-r * Math.sin(a)).toFixed(2)}`;
  });
  page.drawSvgPath(`M ${points.join(' L ')} Z`, { x: cx, y: cy + radius * 0.02, color: SEAL_RED, opacity: 0.9 });
  sheet.text(purpose, cx, cy - radius * 0.55, { size: radius * 0.16, color: SEAL_RED, align: 'center' });
}
