import { loadSharp } from '../../server/images/sharp';
import { estimateSkew } from './deskew';
import { OcrBadImage } from './errors';
import type { OcrBox } from './engine';

/** A quarter turn, clockwise. */
export type QuarterTurn = 0 | 90 | 180 | 270;

/** A greyscale image ready for tesseract, and its pixels for field crops. */
export interface PreparedImage {
  png: Buffer;
  grey: Uint8Array;
  width: number;
  height: number;
  /** Degrees the image was turned back by (positive: its text rose to the right). */
  skew: number;
  /** Degrees the image was turned clockwise (an upside-down or sideways photo set upright, `turnImage`). */
  turned: QuarterTurn;
  /** The pixels as decoded and scaled, before the light was evened out: `turnImage` turns these. */
  decoded: { grey: Uint8Array; width: number; height: number };
}

/** Text of a document photographed or scanned whole is legible at these sizes; outside them it is scaled. */
export const LONG_SIDE = { min: 1000, max: 2200 } as const;
const MIN_SIDE = 100;
/**
 * Images up to this many pixels are decoded (the server refuses uploads above 120 million before storing them). Memory
 * stays bounded all the same: the image is scaled down as it is decoded (JPEG shrink-on-load, PNG streamed line by
 * line), so a 10,000 × 10,000 photo costs tens of megabytes, never its full-size bitmap (300 MB).
 */
const MAX_INPUT_PIXELS = 150_000_000;

async function decode(bytes: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  try {
    const image = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    const meta = await image.metadata();
    const [w, h] = (meta.orientation ?? 1) >= 5 ? [meta.height, meta.width] : [meta.width, meta.height];
    if (!w || !h) throw new OcrBadImage('the image has no size');
    if (Math.min(w, h) < MIN_SIDE) throw new OcrBadImage(`the image is ${w}×${h} pixels, too small to read (at least ${MIN_SIDE} a side)`);
    const long = Math.max(w, h);
    const scale = long > LONG_SIDE.max ? LONG_SIDE.max / long : long < LONG_SIDE.min ? LONG_SIDE.min / long : 1;
    const { data, info } = await image
      .resize(Math.round(w * scale), Math.round(h * scale), { kernel: scale > 1 ? 'cubic' : 'lanczos3', fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof OcrBadImage) throw error;
    throw new OcrBadImage(`the image cannot be decoded: ${(error as Error).message}`, error);
  }
}

const BLOCK = 16;

/** The brightness of the paper around each 16-pixel block: the block's brightest pixel, smoothed over its neighbours. */
function paperLevels(grey: Uint8Array, width: number, height: number): { levels: Float32Array; cols: number; rows: number } {
  const cols = Math.ceil(width / BLOCK);
  const rows = Math.ceil(height / BLOCK);
  let levels = new Float32Array(cols * rows);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / BLOCK) * cols;
    for (let x = 0; x < width; x++) {
      const b = row + Math.floor(x / BLOCK);
      if (grey[y * width + x] > levels[b]) levels[b] = grey[y * width + x];
    }
  }
  const sorted = Float32Array.from(levels).sort();
  const paper = sorted[Math.floor(sorted.length * 0.9)];
  // Dark areas (a coloured band, the table under the document) are not paper in shadow: they keep the paper's level.
  for (let b = 0; b < levels.length; b++) if (levels[b] < paper * 0.55) levels[b] = paper;
  for (let pass = 0; pass < 2; pass++) {
    const next = new Float32Array(levels.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        let n = 0;
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
            sum += levels[rr * cols + cc];
            n++;
          }
        }
        next[r * cols + c] = sum / n;
      }
    }
    levels = next;
  }
  return { levels, cols, rows };
}

/** Uneven light evened out: each pixel divided by the paper's brightness around it, then the darkest ink stretched to black. */
function evenLight(grey: Uint8Array, width: number, height: number): Uint8Array {
  const { levels, cols, rows } = paperLevels(grey, width, height);
  const out = new Uint8Array(grey.length);
  const histogram = new Uint32Array(256);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(rows - 1, Math.max(0, y / BLOCK - 0.5));
    const r0 = Math.floor(fy);
    const r1 = Math.min(rows - 1, r0 + 1);
    const wy = fy - r0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(cols - 1, Math.max(0, x / BLOCK - 0.5));
      const c0 = Math.floor(fx);
      const c1 = Math.min(cols - 1, c0 + 1);
      const wx = fx - c0;
      const level =
        (levels[r0 * cols + c0] * (1 - wx) + levels[r0 * cols + c1] * wx) * (1 - wy) +
        (levels[r1 * cols + c0] * (1 - wx) + levels[r1 * cols + c1] * wx) * wy;
      const v = Math.min(255, Math.round((255 * grey[y * width + x]) / Math.max(1, level)));
      out[y * width + x] = v;
      histogram[v]++;
    }
  }
  let low = 0;
  for (let seen = 0; low < 128 && seen + histogram[low] < grey.length * 0.002; low++) seen += histogram[low];
  if (low === 0) return out;
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.round(((out[i] - low) * 255) / (255 - low)));
  return out;
}

/** EXIF orientation applied, greyscale, scaled to a legible size, light evened out, contrast stretched, skew of up to 5° undone. */
export async function prepareImage(bytes: Buffer): Promise<PreparedImage> {
  const { data, width, height } = await decode(bytes);
  return finish({ grey: data, width, height }, 0);
}

/** The light evened out, the skew undone, and the PNG for tesseract. */
async function finish(decoded: PreparedImage['decoded'], turned: QuarterTurn): Promise<PreparedImage> {
  const sharp = await loadSharp();
  let { width, height } = decoded;
  let grey = evenLight(decoded.grey, width, height);
  const skew = estimateSkew(grey, width, height);
  if (Math.abs(skew) >= 0.3) {
    const turnedBack = await sharp(grey, { raw: { width, height, channels: 1 } })
      .rotate(skew, { background: '#ffffff' })
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    grey = turnedBack.data;
    ({ width, height } = turnedBack.info);
  }
  const png = await sharp(grey, { raw: { width, height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, grey, width, height, skew, turned, decoded };
}

/**
 * The image prepared again turned clockwise by a quarter turn (exact: no resampling), as if it had come that way: the
 * light and the skew are measured anew (a sideways page has no text lines to measure). `degrees` counts from the image
 * as it came, whatever it was turned by since.
 */
export async function turnImage(image: PreparedImage, degrees: QuarterTurn): Promise<PreparedImage> {
  const sharp = await loadSharp();
  if (degrees === image.turned) return image;
  const by = (degrees - image.turned + 360) % 360;
  const { grey, width, height } = image.decoded;
  const turned = await sharp(grey, { raw: { width, height, channels: 1 } })
    .rotate(by)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return finish({ grey: turned.data, width: turned.info.width, height: turned.info.height }, degrees);
}

/** A field's region cut out, with a margin, and scaled so its text is about 48 pixels high. */
export async function crop(image: PreparedImage, region: OcrBox, margin = 0.35): Promise<Buffer | undefined> {
  const sharp = await loadSharp();
  const h = region.y1 - region.y0;
  const pad = Math.round(h * margin);
  const left = Math.max(0, Math.round(region.x0 - pad));
  const top = Math.max(0, Math.round(region.y0 - pad));
  const right = Math.min(image.width, Math.round(region.x1 + pad));
  const bottom = Math.min(image.height, Math.round(region.y1 + pad));
  if (right - left < 8 || bottom - top < 8) return undefined;
  const scale = Math.min(3, Math.max(1, 48 / Math.max(1, h)));
  return sharp(image.grey, { raw: { width: image.width, height: image.height, channels: 1 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .resize(Math.round((right - left) * scale), Math.round((bottom - top) * scale), { kernel: 'cubic' })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/**
 * Within a loose region (a band beside a label), the box of its densest text line: rows are scored by the strokes they
 * cross (a ruled line or a frame crosses one or two, a line of text dozens), then the line's columns are taken.
 */
export function textLineIn(image: PreparedImage, region: OcrBox): OcrBox | undefined {
  const x0 = Math.max(0, Math.round(region.x0));
  const x1 = Math.min(image.width, Math.round(region.x1));
  const y0 = Math.max(0, Math.round(region.y0));
  const y1 = Math.min(image.height, Math.round(region.y1));
  const ink = (x: number, y: number) => image.grey[y * image.width + x] < 128;
  const rows: number[] = [];
  for (let y = y0; y < y1; y++) {
    let strokes = 0;
    for (let x = x0 + 1; x < x1; x++) if (ink(x, y) && !ink(x - 1, y)) strokes++;
    rows.push(strokes);
  }
  let best: { from: number; to: number; ink: number } | undefined;
  let from = -1;
  let sum = 0;
  for (let i = 0; i <= rows.length; i++) {
    const inky = i < rows.length && rows[i] > 4;
    if (inky) {
      if (from < 0) from = i;
      sum += rows[i];
    } else if (from >= 0) {
      if (!best || sum > best.ink) best = { from, to: i, ink: sum };
      from = -1;
      sum = 0;
    }
  }
  if (!best) return undefined;
  // Columns from the first inked one, until a gap wider than two line heights (a frame line or another field beyond).
  const height = best.to - best.from;
  let left = -1;
  let right = -1;
  for (let x = x0; x < x1; x++) {
    let inked = false;
    for (let y = y0 + best.from; y < y0 + best.to && !inked; y++) inked = ink(x, y);
    if (!inked) {
      if (left >= 0 && x - right > height * 2) break;
      continue;
    }
    if (left < 0) left = x;
    right = x;
  }
  return left >= 0 && right > left ? { x0: left, y0: y0 + best.from, x1: right + 1, y1: y0 + best.to } : undefined;
}

/**
 * A field crop with the blank columns between its characters narrowed to a fifth of its height: tesseract misreads
 * characters printed far apart (an ID number's spaced digits read with one too many and one wrong), and reads them
 * right set close. Undefined when no gap is that wide.
 */
export async function closeGaps(cropped: Buffer): Promise<Buffer | undefined> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(cropped).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const widest = Math.max(2, Math.round(height * 0.2));
  const kept: number[] = [];
  let blank = 0;
  for (let x = 0; x < width; x++) {
    let inked = false;
    for (let y = 0; y < height && !inked; y++) inked = data[y * width + x] < 128;
    blank = inked ? 0 : blank + 1;
    if (blank <= widest) kept.push(x);
  }
  if (kept.length === width) return undefined;
  const out = Buffer.alloc(kept.length * height);
  for (let y = 0; y < height; y++) for (let i = 0; i < kept.length; i++) out[y * kept.length + i] = data[y * width + kept[i]];
  return sharp(out, { raw: { width: kept.length, height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
