import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import {
  OcrBadImage,
  OcrPool,
  OcrQueueFull,
  OcrTimeout,
  OcrUnsupportedInput,
  readDocument,
  type DocumentType,
} from '../../../workers/ocr/index';
import { SUBSET_DIR } from '../../fixtures/ocr/generate';
import { font, page, spaced } from '../../fixtures/ocr/render/canvas';
import { closeGaps } from '../../../workers/ocr/preprocess';
import { scannedPdf } from './scanned-pdf';

interface Truth {
  file: string;
  documentType: DocumentType;
  fields: Record<string, string>;
}

const fixture = (name: string) => readFile(path.join(SUBSET_DIR, name));
const truthOf = async (name: string): Promise<Truth> => JSON.parse((await fixture(`${name}.json`)).toString('utf8'));
const values = (fields: Record<string, { value: string }>) => Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.value]));

describe('OCR: reading documents with the tesseract pool', function () {
  this.timeout(60_000);
  let pool: OcrPool;

  before(async () => {
    pool = new OcrPool({ size: 2, maxQueue: 4 });
    await pool.warmUp();
  });
  after(() => pool.close());

  for (const type of ['id-card-front', 'business-licence', 'issued-licence', 'road-transport-qualification'] as const) {
    it(`reads every field of a clean ${type} as the registry holds it, telling its type from the text`, async () => {
      const truth = await truthOf(`${type}-clean`);
      const result = await readDocument(await fixture(truth.file), { pool, mime: 'image/jpeg' });
      expect(result.documentType).to.equal(type);
      expect(result.source).to.equal('ocr');
      expect(values(result.fields)).to.deep.equal(truth.fields);
      for (const field of Object.values(result.fields)) expect(field).to.not.have.property('flagged');
      expect(result.text).to.be.a('string').that.is.not.empty;
      expect(result.ms).to.be.above(0);
    });
  }

  for (const type of ['id-card-front', 'business-licence', 'issued-licence', 'road-transport-qualification'] as const) {
    it(`reads every field of a phone photo of a ${type} (turned, warped, shaded, blurred) as its ground truth`, async () => {
      const truth = await truthOf(`${type}-photo`);
      const result = await readDocument(await fixture(truth.file), { pool, mime: 'image/jpeg' });
      expect(result.documentType).to.equal(type);
      for (const [name, expected] of Object.entries(truth.fields)) expect(result.fields[name]?.value, name).to.equal(expected);
      expect(Object.keys(result.fields)).to.have.members(Object.keys(truth.fields));
      for (const name of ['idNumber', 'uscc']) if (name in truth.fields) expect(result.fields[name].confidence, name).to.equal(1);
    });
  }

  it('reads an ID number printed with its digits far apart once the gaps between them are closed', async () => {
    // The number as the card prints it: 36 px digits spread over 560 px (bench/ocr.ts: read with a digit too many, and one wrong).
    const { canvas, ctx } = page(620, 80);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 620, 80);
    ctx.font = font(36, 'medium');
    ctx.fillStyle = '#111';
    spaced(ctx, '120103200712100033', 30, 55, 560);
    const closed = await closeGaps(Buffer.from(await canvas.encode('png')));
    const line = await pool.submit((engine) => engine.recognize(closed!, { layout: 'line', whitelist: '0123456789X', language: 'eng' }));
    expect(line.text.trim()).to.equal('120103200712100033');
  });

  it('reads a PDF from its text layer, without OCR, in one PDF thread kept for the next PDF', async () => {
    const truth = await truthOf('issued-licence-text-layer');
    const before = pool.stats().completed;
    for (let read = 0; read < 2; read++) {
      const result = await readDocument(await fixture(truth.file), { pool, mime: 'application/pdf' });
      expect(result).to.include({ documentType: 'issued-licence', source: 'pdf-text' });
      expect(values(result.fields)).to.deep.equal(truth.fields);
    }
    expect(pool.stats().completed, 'no tesseract job').to.equal(before);
    // pdf.js is loaded once, in its thread, and that thread reads the second PDF too.
    expect(pool.pdf.stats()).to.include({ started: 1, crashed: 0 });
  });

  it('reads a scanned PDF (no text layer) by OCR of its first page, every field as the ground truth', async () => {
    const truth = await truthOf('id-card-front-clean');
    const result = await readDocument(await scannedPdf(await fixture(truth.file)), { pool, mime: 'application/pdf' });
    expect(result).to.include({ documentType: 'id-card-front', source: 'ocr' });
    expect(values(result.fields)).to.deep.equal(truth.fields);
  });

  it('reads a scanned PDF of a blank page as no document, with no fields; a damaged PDF is OcrUnsupportedInput', async () => {
    const blank = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#f4f1ea' } })
      .jpeg()
      .toBuffer();
    const result = await readDocument(await scannedPdf(blank), { pool });
    expect(result).to.include({ documentType: 'unknown', source: 'ocr' });
    expect(result.fields).to.deep.equal({});
    const damaged = Buffer.from('%PDF-1.7\n1 0 obj <<>> garbage');
    expect(await readDocument(damaged, { pool }).catch((e: unknown) => e)).to.be.instanceOf(OcrUnsupportedInput);
  });

  it('refuses an executable, random bytes and a broken JPEG with typed errors', async () => {
    const exe = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(200, 0x90)]);
    expect(await readDocument(exe, { pool }).catch((e: unknown) => e)).to.be.instanceOf(OcrUnsupportedInput);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
    expect(await readDocument(random, { pool }).catch((e: unknown) => e)).to.be.instanceOf(OcrUnsupportedInput);
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), random]);
    expect(await readDocument(broken, { pool }).catch((e: unknown) => e))
      .to.be.instanceOf(OcrBadImage)
      .and.include({ code: 'OCR_BAD_IMAGE' });
  });

  it('answers OcrTimeout past the time limit, and the replaced worker reads the next image', async () => {
    const image = await fixture('id-card-front-clean.jpg');
    const error = await readDocument(image, { pool, timeoutMs: 5 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OcrTimeout);
    expect(pool.stats().timedOut).to.equal(1);
    const result = await readDocument(image, { pool });
    expect(result.documentType).to.equal('id-card-front');
  });

  it('refuses at once with OcrQueueFull when the workers are busy and the queue is full', async () => {
    const small = new OcrPool({ size: 1, maxQueue: 1 });
    try {
      await small.warmUp();
      const image = await fixture('road-transport-qualification-photo.jpg');
      const outcomes = await Promise.allSettled([1, 2, 3].map(() => readDocument(image, { pool: small })));
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused).to.have.length(1);
      expect(refused[0].reason).to.be.instanceOf(OcrQueueFull).and.include({ code: 'OCR_QUEUE_FULL' });
      expect(small.stats()).to.include({ completed: 2, rejected: 1 });
    } finally {
      await small.close();
    }
  });
});
