import type { OcrBox, OcrLine, OcrWord } from './engine';

/** A run of words on one text line with no wide gap inside: a label, a value, or both. */
export interface Segment {
  /** The words' text run together, normalised (`normalise`). */
  text: string;
  /** The confidence (0..1) of each character of `text`. */
  confidences: number[];
  /** The box of each character of `text` (its word's box). */
  boxes: OcrBox[];
  bbox: OcrBox;
  /** The text line height, for telling gaps and alignment. */
  lineHeight: number;
}

const union = (boxes: OcrBox[]): OcrBox => ({
  x0: Math.min(...boxes.map((b) => b.x0)),
  y0: Math.min(...boxes.map((b) => b.y0)),
  x1: Math.max(...boxes.map((b) => b.x1)),
  y1: Math.max(...boxes.map((b) => b.y1)),
});

/** NFKC, without spaces (Chinese has none; tesseract adds them) and the marks that end labels (：；) or are noise. */
export const normalise = (text: string): string => text.normalize('NFKC').replace(/[\s:;'"“”‘’|]+/g, '');

function segmentOf(words: OcrWord[], lineHeight: number): Segment | undefined {
  const chars: { c: string; confidence: number; box: OcrBox }[] = [];
  for (const word of words) {
    for (const c of normalise(word.text)) chars.push({ c, confidence: word.confidence / 100, box: word.bbox });
  }
  if (chars.length === 0) return undefined;
  return {
    text: chars.map((c) => c.c).join(''),
    confidences: chars.map((c) => c.confidence),
    boxes: chars.map((c) => c.box),
    bbox: union(words.map((w) => w.bbox)),
    lineHeight,
  };
}

const overlap = (a: OcrBox, b: OcrBox): number =>
  (Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)) / Math.max(1, Math.min(a.y1 - a.y0, b.y1 - b.y0));

/** Characters grouped into rows anew, by height, each row left to right: sparse recognition gives labels and values apart. */
function rowsOf(lines: OcrLine[]): OcrWord[][] {
  const words = lines
    .flatMap((l) => l.words)
    .flatMap((w) => (w.symbols?.length ? w.symbols : [w]))
    .filter((w) => w.text.trim() !== '');
  words.sort((a, b) => a.bbox.x0 - b.bbox.x0);
  const rows: OcrWord[][] = [];
  for (const word of words) {
    let best: OcrWord[] | undefined;
    let bestOverlap = 0.5;
    for (const row of rows) {
      const o = overlap(row[row.length - 1].bbox, word.bbox);
      if (o > bestOverlap) {
        best = row;
        bestOverlap = o;
      }
    }
    if (best) best.push(word);
    else rows.push([word]);
  }
  return rows;
}

/**
 * The segments of a page, top to bottom: its words in rows, a row cut where the gap between two words is wider than
 * twice its height, which parts the columns of a licence and a label from a far value.
 */
export function segmentsOf(lines: OcrLine[]): Segment[] {
  const segments: Segment[] = [];
  for (const words of rowsOf(lines)) {
    const heights = words.map((w) => w.bbox.y1 - w.bbox.y0).sort((a, b) => a - b);
    const lineHeight = Math.max(8, heights[Math.floor(heights.length / 2)]);
    let run: OcrWord[] = [words[0]];
    for (let i = 1; i < words.length; i++) {
      // A lone character before the gap is a spaced-out label (名　　称), not a column of its own.
      const lone = run.length === 1 && [...normalise(run[0].text)].length === 1;
      if (words[i].bbox.x0 - words[i - 1].bbox.x1 > lineHeight * 2 && !lone) {
        const segment = segmentOf(run, lineHeight);
        if (segment) segments.push(segment);
        run = [];
      }
      run.push(words[i]);
    }
    const segment = segmentOf(run, lineHeight);
    if (segment) segments.push(segment);
  }
  return segments.sort((a, b) => a.bbox.y0 - b.bbox.y0 || a.bbox.x0 - b.bbox.x0);
}

/** The part of a segment from character `start` to `end`, with its own confidences and box. */
export function slice(segment: Segment, start: number, end = segment.text.length): Segment | undefined {
  if (end <= start) return undefined;
  const boxes = segment.boxes.slice(start, end);
  return {
    text: segment.text.slice(start, end),
    confidences: segment.confidences.slice(start, end),
    boxes,
    bbox: union(boxes),
    lineHeight: segment.lineHeight,
  };
}

export const sameRow = (a: Segment, b: Segment): boolean => {
  const overlap = Math.min(a.bbox.y1, b.bbox.y1) - Math.max(a.bbox.y0, b.bbox.y0);
  return overlap > Math.min(a.bbox.y1 - a.bbox.y0, b.bbox.y1 - b.bbox.y0) * 0.5;
};

export function join(parts: Segment[]): Segment {
  return {
    text: parts.map((p) => p.text).join(''),
    confidences: parts.flatMap((p) => p.confidences),
    boxes: parts.flatMap((p) => p.boxes),
    bbox: union(parts.map((p) => p.bbox)),
    lineHeight: parts[0].lineHeight,
  };
}

export const meanConfidence = (segment: Segment | undefined): number =>
  segment && segment.confidences.length ? segment.confidences.reduce((s, c) => s + c, 0) / segment.confidences.length : 0;

/** Segments of plain text (a test's lines): one per run of a line parted by 3 spaces or more, a character 20 units wide. */
export function segmentsFromText(text: string, confidence = 1): Segment[] {
  const segments: Segment[] = [];
  text.split('\n').forEach((line, row) => {
    for (const m of line.matchAll(/\S+(?:\s{1,2}\S+)*/g)) {
      const chars: string[] = [];
      const boxes: OcrBox[] = [];
      [...m[0]].forEach((c, i) => {
        const kept = normalise(c);
        if (!kept) return;
        const x = (m.index + i) * 20;
        chars.push(kept);
        boxes.push({ x0: x, y0: row * 40, x1: x + 20, y1: row * 40 + 24 });
      });
      if (chars.length)
        segments.push({ text: chars.join(''), confidences: chars.map(() => confidence), boxes, bbox: union(boxes), lineHeight: 24 });
    }
  });
  return segments;
}
