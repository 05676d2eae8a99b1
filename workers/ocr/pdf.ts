import { OcrScannedPdf, OcrUnsupportedInput } from './errors';
import type { OcrBox } from './engine';
import { normalise, type Segment } from './layout';

/** Pages read at most: the documents we read are one or two pages; a long PDF is not an ID card. */
const MAX_PAGES = 5;

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

/** Items of one page grouped into rows by their baseline, then into segments where the gap is wider than two characters. */
function pageSegments(items: Item[], pageTop: number): Segment[] {
  const rows: Item[][] = [];
  for (const item of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const row = rows.find((r) => Math.abs(r[0].y - item.y) < Math.max(2, item.size * 0.4));
    if (row) row.push(item);
    else rows.push([item]);
  }
  const segments: Segment[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let run: Item[] = [];
    const flush = () => {
      const chars: { c: string; box: OcrBox }[] = [];
      for (const item of run) {
        const text = [...normalise(item.str)];
        text.forEach((c, i) => {
          const x0 = item.x + (item.width * i) / text.length;
          chars.push({ c, box: { x0, y0: pageTop - item.y - item.size, x1: x0 + item.width / text.length, y1: pageTop - item.y } });
        });
      }
      if (chars.length === 0) return;
      const boxes = chars.map((c) => c.box);
      segments.push({
        text: chars.map((c) => c.c).join(''),
        confidences: chars.map(() => 1),
        boxes,
        bbox: {
          x0: Math.min(...boxes.map((b) => b.x0)),
          y0: Math.min(...boxes.map((b) => b.y0)),
          x1: Math.max(...boxes.map((b) => b.x1)),
          y1: Math.max(...boxes.map((b) => b.y1)),
        },
        lineHeight: Math.max(...run.map((i) => i.size)),
      });
      run = [];
    };
    for (const item of row) {
      const last = run[run.length - 1];
      if (last && item.x - (last.x + last.width) > item.size * 2) flush();
      run.push(item);
    }
    flush();
  }
  return segments;
}

async function openPdf(bytes: Uint8Array) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  try {
    return await pdfjs.getDocument({
      data: Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : bytes,
      useSystemFonts: false,
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw new OcrUnsupportedInput('a damaged PDF', `the PDF cannot be opened: ${(error as Error).message}`);
  }
}

/** The text layer of a PDF as segments (pages stacked top to bottom); OcrScannedPdf when it has none. */
export async function readPdfText(bytes: Uint8Array): Promise<{ segments: Segment[]; text: string }> {
  const document = await openPdf(bytes);
  try {
    const segments: Segment[] = [];
    let offset = 0;
    for (let n = 1; n <= Math.min(document.numPages, MAX_PAGES); n++) {
      const page = await document.getPage(n);
      const [, , , top] = page.view;
      const content = await page.getTextContent();
      const items = content.items
        .filter((i): i is typeof i & { str: string; transform: number[]; width: number } => 'str' in i && i.str.trim() !== '')
        .map((i) => ({
          str: i.str,
          x: i.transform[4],
          y: i.transform[5] - offset,
          width: i.width,
          size: Math.hypot(i.transform[2], i.transform[3]),
        }));
      segments.push(...pageSegments(items, top));
      offset += top;
    }
    const text = segments.map((s) => s.text).join('\n');
    if (text.replace(/\s/g, '').length < 4) throw new OcrScannedPdf();
    return { segments, text };
  } catch (error) {
    if (error instanceof OcrScannedPdf) throw error;
    throw new OcrUnsupportedInput('a damaged PDF', `the PDF's text cannot be read: ${(error as Error).message}`);
  } finally {
    await document.destroy();
  }
}

interface NodeCanvas {
  toBuffer(mime: 'image/png'): Buffer;
}
interface CanvasFactory {
  create(width: number, height: number): { canvas: NodeCanvas; context: unknown };
  destroy(canvasAndContext: { canvas: NodeCanvas; context: unknown }): void;
}

/**
 * Page `n` of a PDF with no text layer (a scan) drawn as a PNG image, `longSide` pixels on its long side (pdf.js with
 * @napi-rs/canvas, its optional dependency), and how many pages the PDF has: one page's bitmap held at a time.
 */
export async function drawScannedPage(bytes: Uint8Array, n: number, longSide: number): Promise<{ png: Buffer; pages: number }> {
  const document = await openPdf(bytes);
  try {
    const page = await document.getPage(n);
    try {
      const natural = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: Math.min(4, longSide / Math.max(natural.width, natural.height)) });
      const factory = document.canvasFactory as CanvasFactory;
      const drawn = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
      try {
        await page.render({
          canvas: drawn.canvas as unknown as HTMLCanvasElement,
          canvasContext: drawn.context as CanvasRenderingContext2D,
          viewport,
        }).promise;
        return { png: drawn.canvas.toBuffer('image/png'), pages: document.numPages };
      } finally {
        factory.destroy(drawn);
      }
    } catch (error) {
      throw new OcrScannedPdf(`page ${n} of the scanned PDF cannot be drawn for OCR: ${(error as Error).message}`, error);
    } finally {
      page.cleanup();
    }
  } finally {
    await document.destroy();
  }
}
