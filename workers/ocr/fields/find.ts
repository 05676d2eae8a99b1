import type { OcrBox } from '../engine';
import { join, sameRow, slice, type Segment } from '../layout';

export interface LabelMatch {
  segment: Segment;
  start: number;
  end: number;
  exact: boolean;
}

/** Where the label is in the text: exactly, or (labels of 4 characters or more, unless `exactOnly`) with one character misread. */
export function findLabel(text: string, label: string, exactOnly = false): { start: number; end: number; exact: boolean } | undefined {
  const exact = text.indexOf(label);
  if (exact >= 0) return { start: exact, end: exact + label.length, exact: true };
  if (label.length < 4 || exactOnly) return undefined;
  for (let i = 0; i + label.length <= text.length; i++) {
    let misses = 0;
    for (let j = 0; j < label.length && misses < 2; j++) if (text[i + j] !== label[j]) misses++;
    if (misses < 2 && text[i] === label[0]) return { start: i, end: i + label.length, exact: false };
    if (misses < 2 && text[i + label.length - 1] === label[label.length - 1]) return { start: i, end: i + label.length, exact: false };
  }
  return undefined;
}

/** The first segment holding one of the labels, exact readings preferred over near ones. */
export function locate(segments: Segment[], labels: readonly string[]): LabelMatch | undefined {
  let near: LabelMatch | undefined;
  for (const segment of segments) {
    for (const label of labels) {
      const found = findLabel(segment.text, label);
      if (found?.exact) return { segment, ...found };
      if (found && !near) near = { segment, ...found };
    }
  }
  return near;
}

const LEADING = /^[\s:：;；,，.。、|'"“”‘’_\-—~`!！*]+/;

function trimLeading(segment: Segment): Segment | undefined {
  const lead = LEADING.exec(segment.text)?.[0].length ?? 0;
  return slice(segment, lead);
}

/** The part of the value before the first other label in it (two columns read as one line). */
function cutAtLabels(segment: Segment, stops: readonly string[]): Segment | undefined {
  let end = segment.text.length;
  for (const stop of stops) {
    const found = findLabel(segment.text, stop, true);
    if (found && found.start > 0 && found.start < end) end = found.start;
  }
  return slice(segment, 0, end);
}

const holdsLabel = (segment: Segment, stops: readonly string[]): boolean =>
  stops.some((s) => findLabel(segment.text, s)?.start === 0 || segment.text.includes(s));

export interface ValueOptions {
  /** Labels of the other fields: a value ends where one begins. */
  stops: readonly string[];
  /** The value may go on over the next lines (an address, a name that wraps). */
  multiline?: boolean;
  /** What the value must look like (an identifier): a candidate that does not is passed over. */
  accept?: (text: string) => boolean;
}

/**
 * The value printed after a label: the rest of its segment, else the next segment to its right on the same row,
 * else the segment just under it; with `multiline`, the lines under the value aligned with its start.
 */
export function valueAfter(segments: Segment[], labels: readonly string[], options: ValueOptions): Segment | undefined {
  const match = locate(segments, labels);
  if (!match) return undefined;
  const { segment } = match;
  let value = slice(segment, match.end);
  value = value && trimLeading(value);
  const lh = segment.lineHeight;
  const fits = (s: Segment | undefined) => !!s && !holdsLabel(s, options.stops) && (!options.accept || options.accept(s.text));
  if (value && options.accept && !options.accept(value.text)) value = undefined;
  if (!value) {
    const right = segments
      .filter(
        (s) => s !== segment && sameRow(s, segment) && s.bbox.x0 >= segment.bbox.x1 - lh * 0.5 && s.bbox.x0 - segment.bbox.x1 < lh * 8,
      )
      .sort((a, b) => a.bbox.x0 - b.bbox.x0)[0];
    const below = segments
      .filter((s) => s.bbox.y0 > segment.bbox.y1 - lh * 0.3 && s.bbox.y0 - segment.bbox.y1 < lh * 2)
      .filter((s) => s.bbox.x0 < segment.bbox.x1 + lh * 2 && s.bbox.x1 > segment.bbox.x0)
      .sort((a, b) => a.bbox.y0 - b.bbox.y0)[0];
    const next = fits(right) ? right : fits(below) ? below : undefined;
    value = next && trimLeading(next);
    // A value read in pieces along its row (2020-09-15 … 至2026-09-14) is taken whole.
    if (value && next === right) {
      let last = right;
      const pieces = [value];
      for (const s of segments.filter((x) => sameRow(x, right) && x.bbox.x0 > right.bbox.x1).sort((a, b) => a.bbox.x0 - b.bbox.x0)) {
        if (s.bbox.x0 - last.bbox.x1 > lh * 4 || !fits(s)) break;
        pieces.push(s);
        last = s;
      }
      value = join(pieces);
    }
  }
  if (!value) return undefined;
  value = cutAtLabels(value, options.stops);
  if (!value || !options.multiline) return value;
  return withFollowingLines(segments, value, [...options.stops, labels[0]]);
}

/** The value with the lines under it that start where it starts and hold no label: an address or a name that wraps. */
export function withFollowingLines(segments: Segment[], value: Segment, stops: readonly string[]): Segment {
  const lh = value.lineHeight;
  const parts = [value];
  let last = value;
  for (;;) {
    const next = segments.find(
      (s) =>
        s.bbox.y0 > last.bbox.y0 + lh * 0.5 &&
        s.bbox.y0 - last.bbox.y1 < lh * 1.2 &&
        Math.abs(s.bbox.x0 - value.bbox.x0) < lh * 1.5 &&
        !holdsLabel(s, stops),
    );
    if (!next) break;
    // A line beside another field's label is that field's row (the other column of a licence), not a continuation; unless
    // the label is far to its left, its own value between them: the columns' rows need not line up (a value wrapped).
    const beside = (s: Segment) => s !== next && sameRow(s, next) && next.bbox.x0 - s.bbox.x1 < lh * 8;
    if (segments.some((s) => beside(s) && holdsLabel(s, stops))) break;
    const cut = cutAtLabels(next, stops);
    if (!cut) break;
    parts.push(cut);
    last = next;
  }
  return join(parts);
}

/** The band beside a label (to its right, or under it) where its value should be: a region to read again when the page read none. */
export function bandBeside(label: LabelMatch | undefined, side: 'right' | 'below'): OcrBox | undefined {
  if (!label) return undefined;
  const { bbox } = label.segment;
  const lh = Math.max(label.segment.lineHeight, bbox.y1 - bbox.y0);
  return side === 'right'
    ? { x0: bbox.x1 + lh * 0.2, y0: bbox.y0 - lh * 0.6, x1: bbox.x1 + lh * 40, y1: bbox.y1 + lh * 0.6 }
    : { x0: bbox.x0, y0: bbox.y1 + lh * 0.2, x1: bbox.x0 + lh * 80, y1: bbox.y1 + lh * 2.5 };
}
