import { parentPort } from 'node:worker_threads';
import { OcrError, type OcrErrorCode } from './errors';
import type { Segment } from './layout';
import { drawScannedPage, readPdfText } from './pdf';

export type PdfRequest =
  { id: number; op: 'text'; bytes: Uint8Array } | { id: number; op: 'page'; bytes: Uint8Array; page: number; longSide: number };

export type PdfAnswer =
  | { id: number; ok: true; op: 'text'; segments: Segment[]; text: string }
  | { id: number; ok: true; op: 'page'; png: Uint8Array; pages: number }
  | { id: number; ok: false; code?: OcrErrorCode; detected?: string; message: string };

/** The thread that reads PDFs (pdf.js, its text layer and its drawing): one request at a time, as the main thread sends them. */
if (parentPort) {
  const port = parentPort;
  port.on('message', async (request: PdfRequest) => {
    try {
      if (request.op === 'text') {
        port.postMessage({ id: request.id, ok: true, op: 'text', ...(await readPdfText(request.bytes)) } satisfies PdfAnswer);
      } else {
        const { png, pages } = await drawScannedPage(request.bytes, request.page, request.longSide);
        // Handed over, not copied; a view into a larger buffer would carry all of it, so it gets one of its own first.
        const own = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength ? png : new Uint8Array(png);
        port.postMessage({ id: request.id, ok: true, op: 'page', png: own, pages } satisfies PdfAnswer, [own.buffer as ArrayBuffer]);
      }
    } catch (error) {
      const known = error instanceof OcrError ? { code: error.code, detected: (error as { detected?: string }).detected } : {};
      port.postMessage({ id: request.id, ok: false, ...known, message: (error as Error)?.message ?? String(error) } satisfies PdfAnswer);
    }
  });
}
