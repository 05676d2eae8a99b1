import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import { OcrPool, readDocument, type OcrResult, type PooledEngine } from '../../../workers/ocr/index';
import { TesseractEngine } from '../../../workers/ocr/engine';
import { SUBSET_DIR } from '../../fixtures/ocr/generate';

const fixture = (name: string) => readFile(path.join(SUBSET_DIR, name));
const values = (fields: OcrResult['fields']) => Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.value]));
/** The image turned clockwise, without loss (PNG): the same pixels, only the other way up. */
const turn = async (bytes: Buffer, degrees: number) => sharp(bytes).rotate(degrees).png().toBuffer();

describe('OCR: upside-down and sideways photos are set upright before they are read', function () {
  this.timeout(60_000);
  const calls = { pages: 0, orientations: 0 };
  let pool: OcrPool;
  let card: Buffer;
  let truth: Record<string, string>;

  before(async () => {
    // Real tesseract workers, counted: how many page recognitions and orientation detections each reading costs.
    pool = new OcrPool({
      size: 1,
      startEngine: async (): Promise<PooledEngine> => {
        const engine = await TesseractEngine.start();
        return {
          recognize: (image, options) => {
            if (options?.layout === 'page') calls.pages++;
            return engine.recognize(image, options);
          },
          detectOrientation: (image) => {
            calls.orientations++;
            return engine.detectOrientation(image);
          },
          terminate: () => engine.terminate(),
        };
      },
    });
    await pool.warmUp();
    card = await fixture('id-card-front-clean.jpg');
    truth = JSON.parse((await fixture('id-card-front-clean.json')).toString('utf8')).fields;
  });
  after(() => pool.close());
  beforeEach(() => Object.assign(calls, { pages: 0, orientations: 0 }));

  it('reads an upright ID card with one page recognition and no orientation detection', async () => {
    const result = await readDocument(card, { pool });
    expect(values(result.fields)).to.deep.equal(truth);
    expect(result).to.not.have.property('turned');
    expect(calls).to.deep.equal({ pages: 1, orientations: 0 });
  });

  for (const degrees of [180, 90, 270]) {
    it(`reads the clean ID card turned ${degrees}° the same as upright, telling its type, turning it back`, async () => {
      const result = await readDocument(await turn(card, degrees), { pool });
      expect(result.documentType).to.equal('id-card-front');
      expect(values(result.fields)).to.deep.equal(truth);
      for (const field of Object.values(result.fields)) expect(field).to.not.have.property('flagged');
      expect(result.turned).to.equal(360 - degrees);
      expect(calls.orientations).to.equal(1);
      expect(calls.pages).to.be.within(2, 3);
    });
  }

  it('reads an upside-down phone photo of an ID card as its ground truth, its type given', async () => {
    const photo = await fixture('id-card-front-photo.jpg');
    const photoTruth = JSON.parse((await fixture('id-card-front-photo.json')).toString('utf8')).fields;
    const upsideDown = await readDocument(await turn(photo, 180), { pool, documentType: 'id-card-front' });
    expect(upsideDown.turned).to.equal(180);
    expect(values(upsideDown.fields)).to.deep.equal(photoTruth);
    expect(upsideDown.fields.idNumber).to.include({ confidence: 1 });
  });

  it('does not turn a page with no text: one page recognition, nothing to set upright', async () => {
    const blank = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#f4f1ea' } })
      .jpeg()
      .toBuffer();
    const result = await readDocument(blank, { pool });
    expect(result).to.include({ documentType: 'unknown' }).and.not.have.property('turned');
    expect(calls.pages).to.equal(1);
  });
});
