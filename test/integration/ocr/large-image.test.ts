import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import sharp from 'sharp';
import { SUBSET_DIR } from '../../fixtures/ocr/generate';

const READER = fileURLToPath(new URL('./read-in-own-process.ts', import.meta.url));

describe('OCR: a 10,000 × 10,000 pixel photo is scaled down as it is decoded, memory bounded', function () {
  this.timeout(120_000);
  let dir: string;
  let big: string;
  let truth: Record<string, string>;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ocr-large-'));
    truth = JSON.parse(await readFile(path.join(SUBSET_DIR, 'id-card-front-clean.json'), 'utf8')).fields;
    // A 100-million-pixel photo of a desk with the clean ID card on it, 4,600 pixels wide: scaled to 2,200 pixels a
    // side, the card comes back to about the size it was drawn at (1,012 pixels wide).
    big = path.join(dir, 'id-card-10000.jpg');
    const card = await sharp(path.join(SUBSET_DIR, 'id-card-front-clean.jpg'))
      .resize(4600, null, { kernel: 'cubic' })
      .png({ compressionLevel: 1 })
      .toBuffer();
    await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#b9a98f' } })
      .composite([{ input: card, left: 2700, top: 3500 }])
      .jpeg({ quality: 85 })
      .toFile(big);
    expect(await sharp(big).metadata()).to.include({ width: 10_000, height: 10_000 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads every field, the worker never given more than 2,200 pixels a side, the process growing by < 600 MB', async () => {
    // In a process of its own: the memory it grows by is the reading's, not this one's leftovers.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', READER, big], { maxBuffer: 1 << 20 });
    const measured = JSON.parse(stdout.trim().split('\n').pop()!);
    console.log(`      10000×10000 JPEG: ${measured.ms} ms, peak RSS growth ${measured.peakGrowthMb} MB`);
    expect(measured.documentType).to.equal('id-card-front');
    expect(measured.fields).to.deep.equal(truth);
    expect(Math.max(measured.largestGiven.width, measured.largestGiven.height)).to.be.at.most(2200);
    expect(measured.peakGrowthMb).to.be.below(600);
  });
});
