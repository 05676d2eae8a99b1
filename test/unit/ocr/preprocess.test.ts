import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import { OcrBadImage } from '../../../workers/ocr/index';
import { estimateSkew } from '../../../workers/ocr/deskew';
import { closeGaps, prepareImage, turnImage } from '../../../workers/ocr/preprocess';
import { SUBSET_DIR } from '../../fixtures/ocr/generate';

describe('OCR image preparation', () => {
  let card: Buffer;
  before(async () => {
    card = await readFile(path.join(SUBSET_DIR, 'id-card-front-clean.jpg'));
  });

  for (const degrees of [-4, -1.5, 0, 2.5]) {
    it(`finds a skew of ${degrees}° within half a degree, and turns it back`, async () => {
      const turned = await sharp(card).rotate(-degrees, { background: '#ffffff' }).jpeg().toBuffer();
      const { data, info } = await sharp(turned).greyscale().raw().toBuffer({ resolveWithObject: true });
      expect(estimateSkew(data, info.width, info.height)).to.be.closeTo(degrees, 0.5);
      const prepared = await prepareImage(turned);
      expect(prepared.skew).to.be.closeTo(degrees, 0.5);
      expect(prepared.grey.length).to.equal(prepared.width * prepared.height);
    });
  }

  it('applies the EXIF orientation of a phone photo', async () => {
    const sideways = await sharp(card).rotate(90).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const prepared = await prepareImage(sideways);
    expect(prepared.width).to.be.above(prepared.height);
  });

  for (const degrees of [90, 180, 270] as const) {
    it(`turns an image prepared ${360 - degrees}° off upright by ${degrees}°: the same pixels as the upright one prepared`, async () => {
      const upright = await prepareImage(await sharp(card).png().toBuffer());
      const off = await prepareImage(
        await sharp(card)
          .rotate(360 - degrees)
          .png()
          .toBuffer(),
      );
      const turned = await turnImage(off, degrees);
      expect(turned).to.include({ turned: degrees, width: upright.width, height: upright.height, skew: upright.skew });
      expect(Buffer.from(turned.grey).equals(Buffer.from(upright.grey))).to.equal(true);
      expect((await turnImage(turned, 0)).grey.length).to.equal(off.grey.length);
    });
  }

  it('scales a small image up to a legible size', async () => {
    const small = await sharp(card).resize(500).png().toBuffer();
    expect((await prepareImage(small)).width).to.equal(1000);
  });

  it('closes the wide blank gaps between characters printed far apart to a fifth of the height, keeping every inked column', async () => {
    // Five 10-pixel strokes, 50 pixels apart, on a line 60 pixels high.
    const strokes = Array.from({ length: 5 }, (_, i) => ({
      input: { create: { width: 10, height: 40, channels: 3 as const, background: '#000' } },
      left: 30 + i * 60,
      top: 10,
    }));
    const line = await sharp({ create: { width: 300, height: 60, channels: 3, background: '#fff' } })
      .composite(strokes)
      .png()
      .toBuffer();
    const closed = await closeGaps(line);
    // Each stroke kept whole; the 30-pixel margin before the first and every 50-pixel gap after a stroke cut to 12 pixels.
    expect(await sharp(closed!).metadata()).to.include({ width: 5 * 10 + 5 * 12 + 12, height: 60 });
    const tight = await sharp({ create: { width: 100, height: 60, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(await closeGaps(tight)).to.equal(undefined);
  });

  it('refuses an image too small to read, and one that cannot be decoded, with OcrBadImage', async () => {
    const tiny = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(await prepareImage(tiny).catch((e: unknown) => e))
      .to.be.instanceOf(OcrBadImage)
      .with.property('message')
      .that.match(/too small/);
    const truncated = card.subarray(0, 400);
    expect(await prepareImage(truncated).catch((e: unknown) => e)).to.be.instanceOf(OcrBadImage);
  });
});
