import { classify, documentScore, TELLING_SCORE } from './classify';
import type { OcrEngine } from './engine';
import { extractBusinessLicence } from './fields/business-licence';
import type { Extraction } from './fields/extraction';
import { extractIdCard } from './fields/id-card';
import { WHITELISTS, type Reading } from './fields/identifier';
import { extractIssuedLicence } from './fields/issued-licence';
import { extractQualification } from './fields/road-transport';
import { detectInput } from './input';
import { sameRow, segmentsOf, type Segment } from './layout';
import { OcrScannedPdf, OcrTimeout } from './errors';
import { OcrPool, type OcrPoolOptions } from './pool';
import { closeGaps, crop, LONG_SIDE, prepareImage, textLineIn, turnImage, type PreparedImage, type QuarterTurn } from './preprocess';
import { DOCUMENT_TYPES, type DocumentType, type OcrResult } from './types';

export interface ReadOptions {
  /** The declared MIME type; the bytes decide, a contradicting declaration is refused. */
  mime?: string;
  /** Skips classification when the caller knows what the material is. */
  documentType?: DocumentType;
  /** Time limit of the recognition once it runs (and of reading a PDF's text layer); default the pool's. */
  timeoutMs?: number;
  /** Default: the shared pool (`defaultOcrPool()`). */
  pool?: OcrPool;
}

const EXTRACTORS: Record<DocumentType, (segments: Segment[], readings?: Record<string, Reading[]>) => Extraction> = {
  'id-card-front': extractIdCard,
  'business-licence': extractBusinessLicence,
  'issued-licence': extractIssuedLicence,
  'road-transport-qualification': extractQualification,
};

/** The fields of a document of a known type from its text segments (OCR or a PDF's text layer). */
export function extractFields(documentType: DocumentType, segments: Segment[], readings?: Record<string, Reading[]>): Extraction {
  return EXTRACTORS[documentType](segments, readings);
}

/** Rows of segments as lines of text, segments of one row parted by two spaces. */
export function textOf(segments: Segment[]): string {
  const rows: Segment[][] = [];
  for (const s of segments) {
    const row = rows.find((r) => sameRow(r[0], s));
    if (row) row.push(s);
    else rows.push([s]);
  }
  return rows
    .map((r) =>
      r
        .sort((a, b) => a.bbox.x0 - b.bbox.x0)
        .map((s) => s.text)
        .join('  '),
    )
    .join('\n');
}

let shared: OcrPool | undefined;

/** The pool `readDocument` uses unless given one; `options` count only on the first call, which creates it. */
export function defaultOcrPool(options?: OcrPoolOptions): OcrPool {
  shared ??= new OcrPool(options);
  return shared;
}

export async function closeDefaultOcrPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/** A page read: its segments and text, and how much of the expected document (or of any) its printed words show. */
async function readPage(engine: OcrEngine, image: PreparedImage, documentType: DocumentType | undefined) {
  const page = await engine.recognize(image.png, { layout: 'page' });
  const segments = segmentsOf(page.lines);
  const text = textOf(segments);
  const score = documentType ? documentScore(text, documentType) : Math.max(...DOCUMENT_TYPES.map((t) => documentScore(text, t)));
  return { image, segments, text, score };
}

/** Fewer letters than this read from a page that OSD finds upright: nothing to turn (a blank page, a photo of no document). */
const MIN_LETTERS_TO_TURN = 10;

/**
 * The page read as it came; when it shows no document's printed words, read again turned the way tesseract's
 * orientation detection (OSD) says, then the opposite way (OSD often tells the axis right and the sense wrong), or,
 * when OSD finds it upright but text was read, upside down; the best reading kept. An upright page costs nothing more.
 */
async function readUpright(engine: OcrEngine, image: PreparedImage, documentType: DocumentType | undefined) {
  let best = await readPage(engine, image, documentType);
  if (best.score >= TELLING_SCORE) return best;
  const orientation = engine.detectOrientation && (await engine.detectOrientation(image.png).catch(() => undefined));
  const turns: QuarterTurn[] = [];
  if (orientation && orientation.degrees !== 0) {
    turns.push(orientation.degrees);
    if (orientation.degrees !== 180) turns.push(((orientation.degrees + 180) % 360) as QuarterTurn);
  } else if (best.text.replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_LETTERS_TO_TURN) {
    turns.push(180);
  }
  for (const degrees of turns) {
    const turned = await readPage(engine, await turnImage(image, degrees), documentType);
    if (turned.score > best.score) best = turned;
    if (best.score >= TELLING_SCORE) break;
  }
  return best;
}

/** The page recognised, classified, its fields extracted, then each identifier's region read again alone (line mode, whitelist). */
async function recognise(engine: OcrEngine, prepared: PreparedImage, documentType: DocumentType | undefined) {
  const { image, segments, text } = await readUpright(engine, prepared, documentType);
  const turned = image.turned ? { turned: image.turned } : {};
  const type = documentType ?? classify(text);
  if (!type) return { documentType: 'unknown' as const, fields: {}, text, ...turned };
  let extraction = extractFields(type, segments);
  // Identifiers not confirmed by their check character are read again from their region alone: in Latin first, then in Chinese.
  const readings: Record<string, Reading[]> = {};
  for (const [name, region] of Object.entries(extraction.regions)) {
    const field = extraction.fields[name];
    if (field && field.confidence === 1 && !field.repaired) continue;
    const box = region.loose ? textLineIn(image, region.box) : region.box;
    const cut = box && (await crop(image, box));
    if (!cut) continue;
    // Last, in Latin again with the gaps between characters closed: spaced digits are misread where they are printed.
    const attempts = [
      { image: async () => cut, language: 'eng' as const },
      { image: async () => cut, language: 'chi_sim' as const },
      { image: () => closeGaps(cut), language: 'eng' as const },
    ];
    for (const attempt of attempts) {
      const input = await attempt.image();
      if (!input) continue;
      const line = await engine.recognize(input, { layout: 'line', whitelist: WHITELISTS[region.kind], language: attempt.language });
      (readings[name] ??= []).push({ text: line.text, confidence: line.confidence / 100 });
      extraction = extractFields(type, segments, readings);
      const read = extraction.fields[name];
      if (read && !read.flagged) break;
    }
  }
  const fields = extraction.fields;
  return { documentType: type, fields, text, ...turned };
}

/** Pages of a scanned PDF drawn for OCR: an ID card or a licence is its first page or two. */
const SCANNED_PAGES = 2;

/** A PDF's text layer, read in the pool's PDF thread within the reading's time limit (its wait there counted). */
async function readTextLayer(bytes: Buffer, pool: OcrPool, timeoutMs: number) {
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(new OcrTimeout(timeoutMs)), timeoutMs);
  try {
    return await pool.pdf.text(bytes, limit.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A scan in a PDF: its first pages drawn (in the pool's PDF thread) and read in the pool like photos, one at a time
 * until one shows the document. Drawing happens in the job's turn, within its time limit, so scans hold no more
 * bitmaps than workers, and a page still being drawn when the time is up is given up with the job.
 */
function readScannedPdf(bytes: Buffer, pool: OcrPool, options: ReadOptions) {
  return pool.submit(
    async (engine, signal) => {
      let best: Awaited<ReturnType<typeof recognise>> = { documentType: 'unknown', fields: {}, text: '' };
      for (let n = 1, pages = 1; n <= Math.min(pages, SCANNED_PAGES); n++) {
        const drawn = await pool.pdf.drawPage(bytes, n, LONG_SIDE.max, signal);
        pages = drawn.pages;
        const read = await recognise(engine, await prepareImage(drawn.png), options.documentType);
        if (Object.keys(read.fields).length > Object.keys(best.fields).length || !best.text) best = read;
        if (read.documentType !== 'unknown' && Object.keys(read.fields).length) break;
      }
      return best;
    },
    { timeoutMs: options.timeoutMs },
  );
}

/**
 * Reads an ID card, a business licence, one of our licences or a road transport qualification certificate from a
 * JPEG, a PNG or a PDF: from its text layer, or a scan's first pages by OCR. Throws OcrUnsupportedInput, OcrBadImage,
 * OcrScannedPdf (a scanned page that cannot be drawn), OcrQueueFull, OcrTimeout, OcrPoolClosed or OcrEngineFailed; a
 * document of no known type comes back as `unknown`, with its text.
 */
export async function readDocument(bytes: Buffer, options: ReadOptions = {}): Promise<OcrResult> {
  const started = performance.now();
  const kind = detectInput(bytes, options.mime);
  if (kind === 'pdf') {
    const pool = options.pool ?? defaultOcrPool();
    let layer: Awaited<ReturnType<typeof readTextLayer>>;
    try {
      layer = await readTextLayer(bytes, pool, options.timeoutMs ?? pool.timeoutMs);
    } catch (error) {
      if (!(error instanceof OcrScannedPdf)) throw error;
      const result = await readScannedPdf(bytes, pool, options);
      return { ...result, ms: Math.round(performance.now() - started), source: 'ocr' };
    }
    const { segments, text } = layer;
    const documentType = options.documentType ?? classify(text);
    const fields = documentType ? extractFields(documentType, segments).fields : {};
    return { documentType: documentType ?? 'unknown', fields, text, ms: Math.round(performance.now() - started), source: 'pdf-text' };
  }
  const pool = options.pool ?? defaultOcrPool();
  // Decoded and scaled down once a worker is free, in its turn: a burst of uploads holds compressed bytes in the queue,
  // never bitmaps, and no more images are decoded at once than there are workers.
  const result = await pool.submit(async (engine) => recognise(engine, await prepareImage(bytes), options.documentType), {
    timeoutMs: options.timeoutMs,
  });
  return { ...result, ms: Math.round(performance.now() - started), source: 'ocr' };
}
