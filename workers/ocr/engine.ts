import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, PSM, type Bbox, type Worker as TesseractWorker } from 'tesseract.js';

const require = createRequire(import.meta.url);

export type Language = 'chi_sim' | 'eng';

/**
 * The trained data shipped in npm packages: nothing is downloaded at run time. For Chinese the standard model: on our
 * corpus it reads rare name characters (萱, 昊, 磊) that best_int misses, and no slower; for the Latin crops best_int;
 * `osd` (orientation and script detection) exists only for the legacy engine.
 */
const MODELS: Record<Language | 'osd', string> = { chi_sim: '4.0.0', eng: '4.0.0_best_int', osd: '4.0.0' };

export function languagePath(language: Language | 'osd'): string {
  return path.join(path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), MODELS[language]);
}

export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  /** 0..100, as tesseract gives it. */
  confidence: number;
  bbox: OcrBox;
  /** Its characters, each with its own box (words of Chinese text overlap; characters do not). */
  symbols?: OcrWord[];
}

export interface OcrLine {
  text: string;
  confidence: number;
  bbox: OcrBox;
  words: OcrWord[];
}

export interface Recognition {
  text: string;
  confidence: number;
  lines: OcrLine[];
}

export interface RecognizeOptions {
  /** `page`: text anywhere on the page (sparse: labels apart from values are kept); `line`: one line of text (a field crop). */
  layout?: 'page' | 'line';
  /** Only these characters may be read. */
  whitelist?: string;
  language?: Language;
}

/** How a page lies, by tesseract's orientation detection (OSD). */
export interface Orientation {
  /** Turn the image clockwise by this much to set it upright. */
  degrees: 0 | 90 | 180 | 270;
  /** Tesseract's confidence in the orientation: about 2 and more is sure, below 1 a guess. */
  confidence: number;
}

/** What a pool job gets: recognition on the tesseract worker the job holds, and nothing else. */
export interface OcrEngine {
  recognize(image: Buffer, options?: RecognizeOptions): Promise<Recognition>;
  /** Which way up the page lies; undefined when it shows too little text to tell. Optional: an engine may not know. */
  detectOrientation?(image: Buffer): Promise<Orientation | undefined>;
}

/** An engine the pool can stop; `terminate` must end its threads even in the middle of a recognition. */
export interface PooledEngine extends OcrEngine {
  terminate(): Promise<void>;
}

const box = (b: Bbox): OcrBox => ({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });

/**
 * The tesseract workers of one pool slot: chi_sim for pages, eng for identifier crops, and, started only when a page is
 * not found upright, osd (the legacy engine) for its orientation.
 */
export class TesseractEngine implements PooledEngine {
  private readonly workers = new Map<Language | 'osd', Promise<TesseractWorker>>();
  private readonly params = new Map<Language, string>();
  private terminated = false;

  static async start(): Promise<TesseractEngine> {
    const engine = new TesseractEngine();
    try {
      await Promise.all([engine.worker('chi_sim'), engine.worker('eng')]);
    } catch (error) {
      await engine.terminate();
      throw error;
    }
    return engine;
  }

  private worker(language: Language | 'osd'): Promise<TesseractWorker> {
    let worker = this.workers.get(language);
    if (!worker) {
      worker =
        language === 'osd'
          ? createWorker('osd', OEM.TESSERACT_ONLY, {
              langPath: languagePath('osd'),
              cacheMethod: 'none',
              gzip: true,
              legacyCore: true,
              legacyLang: true,
            }).then(async (w) => {
              await w.setParameters({ tessedit_pageseg_mode: PSM.OSD_ONLY, debug_file: '/dev/null' });
              return w;
            })
          : createWorker(language, OEM.LSTM_ONLY, { langPath: languagePath(language), cacheMethod: 'none', gzip: true });
      this.workers.set(language, worker);
      // A worker that failed to start is started anew next time.
      worker.catch(() => this.workers.get(language) === worker && this.workers.delete(language));
    }
    return worker;
  }

  async detectOrientation(image: Buffer): Promise<Orientation | undefined> {
    if (this.terminated) throw new Error('the tesseract worker was terminated');
    const { data } = await (await this.worker('osd')).detect(image);
    const degrees = data.orientation_degrees;
    if (degrees !== 0 && degrees !== 90 && degrees !== 180 && degrees !== 270) return undefined;
    return { degrees, confidence: data.orientation_confidence ?? 0 };
  }

  async recognize(image: Buffer, options: RecognizeOptions = {}): Promise<Recognition> {
    if (this.terminated) throw new Error('the tesseract worker was terminated');
    const language = options.language ?? 'chi_sim';
    const worker = await this.worker(language);
    const psm = options.layout === 'line' ? PSM.SINGLE_LINE : PSM.SPARSE_TEXT;
    const wanted = JSON.stringify([psm, options.whitelist ?? '']);
    if (this.params.get(language) !== wanted) {
      await worker.setParameters({
        tessedit_pageseg_mode: psm,
        tessedit_char_whitelist: options.whitelist ?? '',
        user_defined_dpi: '300',
        debug_file: '/dev/null',
      });
      this.params.set(language, wanted);
    }
    const { data } = await worker.recognize(image, {}, { text: true, blocks: true });
    const lines: OcrLine[] = (data.blocks ?? []).flatMap((block) =>
      block.paragraphs.flatMap((paragraph) =>
        paragraph.lines.map((line) => ({
          text: line.text,
          confidence: line.confidence,
          bbox: box(line.bbox),
          words: line.words.map((w) => ({
            text: w.text,
            confidence: w.confidence,
            bbox: box(w.bbox),
            symbols: w.symbols.map((c) => ({ text: c.text, confidence: c.confidence, bbox: box(c.bbox) })),
          })),
        })),
      ),
    );
    return { text: data.text, confidence: data.confidence, lines };
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.allSettled(workers.map(async (w) => (await w).terminate()));
  }
}
