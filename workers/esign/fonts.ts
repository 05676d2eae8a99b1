import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

const require = createRequire(import.meta.url);

/** Noto Sans SC cut to 通用规范汉字表 + ASCII + punctuation (fonts/make-base-font.ts makes it). */
const BASE_FONT = new URL('./fonts/NotoSansSC-Regular-tygf.ttf', import.meta.url);
/** The whole font, for the rare character outside the base font (a name or a place). */
const FULL_FONT = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');

interface LoadedFont {
  bytes: Uint8Array;
  font: fontkit.Font;
}

const loaded = new Map<string, LoadedFont>();

/**
 * Upstream fontkit rather than `@pdf-lib/fontkit`, whose subsets of TrueType CJK fonts lose glyphs (a short `loca`
 * with odd-length glyph records: foliojs/fontkit#191). pdf-lib reads a subset through `encodeStream()`, which
 * fontkit 2 replaced by `encode()`.
 */
function open(bytes: Uint8Array): fontkit.Font {
  const font = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as fontkit.Font;
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    return Object.assign(subset, {
      encodeStream() {
        const stream = new EventEmitter();
        setImmediate(() => {
          try {
            stream.emit('data', subset.encode());
            stream.emit('end');
          } catch (error) {
            stream.emit('error', error);
          }
        });
        return stream;
      },
    });
  };
  return font;
}

function load(file: string | URL): LoadedFont {
  const key = file.toString();
  let entry = loaded.get(key);
  if (!entry) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    entry = { bytes, font: open(bytes) };
    loaded.set(key, entry);
  }
  return entry;
}

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

/** Hands pdf-lib the font parsed once per process, so that a document costs its glyph subset, not a parse. */
const cachingFontkit = {
  create(data: Uint8Array) {
    for (const entry of loaded.values()) if (entry.bytes === data) return entry.font;
    return open(data);
  },
} as unknown as PdfLibFontkit;

/** The fonts of one document: the base font, and the whole font only when some text needs it. */
export interface DocumentFonts {
  /** The font that has every character of `text`. */
  for(text: string): PDFFont;
}

const covers = (font: fontkit.Font, text: string) => {
  for (const ch of text) if (!/\s/.test(ch) && !font.hasGlyphForCodePoint(ch.codePointAt(0)!)) return false;
  return true;
};

/** Embeds (as subsets) what the given texts need; `for(text)` then answers for any of them. */
export async function embedFonts(pdf: PDFDocument, texts: string[]): Promise<DocumentFonts> {
  pdf.registerFontkit(cachingFontkit);
  const base = load(BASE_FONT);
  const regular = await pdf.embedFont(base.bytes, { subset: true, customName: 'NTSCRG+NotoSansSC-Regular' });
  let fallback: PDFFont | undefined;
  if (!texts.every((text) => covers(base.font, text))) {
    fallback = await pdf.embedFont(load(FULL_FONT).bytes, { subset: true, customName: 'NTSCFL+NotoSansSC-Regular' });
  }
  return {
    for(text) {
      if (covers(base.font, text)) return regular;
      if (!fallback) throw new Error(`text not announced to embedFonts: ${text}`);
      return fallback;
    },
  };
}
