import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { TesseractEngine } from '../../../workers/ocr/engine';
import { OcrPool, readDocument, type DocumentType } from '../../../workers/ocr/index';

/**
 * Reads one image file with a pool of one warmed-up worker and prints one JSON line: the reading, its time, how much
 * the process's resident memory grew at its peak over what it was once the worker had started (sampled every 10 ms),
 * and the largest image the pool's worker was given. Run in a process of its own (`large-image.test.ts`), so that the
 * memory measured is the reading's alone.
 */
const [file, documentType] = process.argv.slice(2);
const given: { width: number; height: number; bytes: number }[] = [];
const pool = new OcrPool({
  size: 1,
  startEngine: async () => {
    const engine = await TesseractEngine.start();
    return {
      async recognize(image, options) {
        const { width = 0, height = 0 } = await sharp(image).metadata();
        given.push({ width, height, bytes: image.length });
        return engine.recognize(image, options);
      },
      detectOrientation: (image) => engine.detectOrientation(image),
      terminate: () => engine.terminate(),
    };
  },
});
await pool.warmUp();
const bytes = await readFile(file);
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const started = performance.now();
const result = await readDocument(bytes, { pool, documentType: documentType as DocumentType | undefined });
const ms = Math.round(performance.now() - started);
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
await pool.close();
const largest = given.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a), { width: 0, height: 0, bytes: 0 });
console.log(
  JSON.stringify({
    documentType: result.documentType,
    fields: Object.fromEntries(Object.entries(result.fields).map(([k, f]) => [k, f.value])),
    ms,
    rssBeforeMb: Math.round(before / 2 ** 20),
    peakGrowthMb: Math.round((peak - before) / 2 ** 20),
    largestGiven: largest,
    recognitions: given.length,
  }),
);
