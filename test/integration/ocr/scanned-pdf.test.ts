import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { LONG_SIDE } from '../../../workers/ocr/preprocess';
import { OcrEngineFailed, OcrPool, OcrTimeout, readDocument } from '../../../workers/ocr/index';
import { SUBSET_DIR } from '../../fixtures/ocr/generate';
import { CRASH_MARK } from './crashing-pdf-thread';
import { scannedPdf } from './scanned-pdf';

const fixture = (name: string) => readFile(path.join(SUBSET_DIR, name));

describe('OCR: scanned PDFs are drawn in a thread of their own', function () {
  this.timeout(120_000);
  let card: Buffer;
  let idNumber: string;

  before(async () => {
    const truth = JSON.parse((await fixture('id-card-front-clean.json')).toString('utf8'));
    card = await scannedPdf(await fixture(truth.file));
    idNumber = truth.fields.idNumber;
  });

  it('keeps the main thread free while a scanned page is drawn', async () => {
    const pool = new OcrPool({ size: 1 });
    try {
      // Drawn on the main thread, a page (about 250 ms here, a second on a busy server) let this timer tick once at most.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const drawn = await pool.pdf.drawPage(card, 1, LONG_SIDE.max);
      clearInterval(timer);
      expect(drawn.pages).to.equal(1);
      expect(drawn.png.subarray(1, 4).toString('latin1')).to.equal('PNG');
      expect(ticks, 'timer ticks while the page was drawn').to.be.at.least(5);
      expect(pool.pdf.stats()).to.include({ started: 1, running: true });
    } finally {
      await pool.close();
    }
    expect(pool.pdf.stats().running, 'the thread ends with the pool').to.equal(false);
  });

  it('ends the PDF thread once it has had nothing to do for its idle time, and starts another for the next PDF', async () => {
    const pool = new OcrPool({ size: 1, pdf: { idleMs: 50 } });
    try {
      expect(await pool.pdf.text(card).catch((e: unknown) => e)).to.include({ code: 'OCR_SCANNED_PDF' });
      expect(pool.pdf.stats()).to.include({ started: 1, running: true });
      while (pool.pdf.stats().running) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await pool.pdf.text(card).catch((e: unknown) => e)).to.include({ code: 'OCR_SCANNED_PDF' });
      expect(pool.pdf.stats()).to.include({ started: 2, crashed: 0 });
    } finally {
      await pool.close();
    }
  });

  it('should NOT fail other readings when the PDF thread crashes: that reading fails as retryable, the next starts a new thread', async () => {
    const pool = new OcrPool({ size: 1, pdf: { thread: new URL('./crashing-pdf-thread.ts', import.meta.url) } });
    try {
      const crashing = Buffer.concat([card, Buffer.from(`\n${CRASH_MARK}\n`)]);
      // The crashing scan and a good one at once: they wait for each other in the PDF thread's line and the pool's.
      const [crashed, read] = await Promise.allSettled([
        readDocument(crashing, { pool, mime: 'application/pdf' }),
        readDocument(card, { pool, mime: 'application/pdf' }),
      ]);
      expect(crashed.status).to.equal('rejected');
      expect((crashed as PromiseRejectedResult).reason)
        .to.be.instanceOf(OcrEngineFailed)
        .and.include({ code: 'OCR_ENGINE_FAILED' })
        .and.have.property('message')
        .that.matches(/PDF thread stopped \(exit code 70\)/);
      expect(read.status).to.equal('fulfilled');
      expect((read as PromiseFulfilledResult<Awaited<ReturnType<typeof readDocument>>>).value).to.include({
        documentType: 'id-card-front',
        source: 'ocr',
      });
      const again = await readDocument(card, { pool, mime: 'application/pdf' });
      expect(again.fields.idNumber?.value).to.equal(idNumber);
      expect(pool.pdf.stats()).to.include({ started: 2, crashed: 1 });
      expect(pool.stats()).to.include({ failed: 1, completed: 2 });
    } finally {
      await pool.close();
    }
  });

  it('counts the drawing in the reading’s time limit: past it, OcrTimeout, and the page in hand is given up with its thread', async () => {
    const pool = new OcrPool({ size: 1 });
    try {
      expect(await pool.pdf.text(card).catch((e: unknown) => e)).to.include({ code: 'OCR_SCANNED_PDF' });
      const error = await pool
        .submit((_, signal) => pool.pdf.drawPage(card, 1, LONG_SIDE.max, signal), { timeoutMs: 20 })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(OcrTimeout);
      expect(pool.stats().timedOut).to.equal(1);
      expect(pool.pdf.stats()).to.include({ started: 1, running: false, crashed: 0 });
      const result = await readDocument(card, { pool, mime: 'application/pdf' });
      expect(result.fields.idNumber?.value).to.equal(idNumber);
      expect(pool.pdf.stats().started).to.equal(2);
    } finally {
      await pool.close();
    }
  });
});
