import { sameRow, slice, type Segment } from '../layout';
import type { OcrFields } from '../types';
import type { Extraction } from './extraction';
import { locate, valueAfter, withFollowingLines } from './find';
import { resolveIdentifier, type Reading } from './identifier';
import { address as addressText, chineseText, datesIn, enterpriseName, field, nearest, personName } from './text';
import { ENTERPRISE_TYPES } from './vocabulary';

const LABELS = {
  uscc: ['统一社会信用代码'],
  name: ['名称'],
  type: ['类型'],
  legalRepresentative: ['法定代表人', '负责人', '执行事务合伙人', '经营者', '投资人'],
  address: ['住所', '主要经营场所', '经营场所'],
  establishedOn: ['成立日期', '注册日期'],
  capital: ['注册资本', '出资额'],
  term: ['营业期限', '合伙期限'],
  scope: ['经营范围'],
  authority: ['登记机关'],
};
const ALL = Object.values(LABELS).flat();
const stops = (own: keyof typeof LABELS) => ALL.filter((l) => !LABELS[own].includes(l));

/**
 * Where a field is when its label was not read: the national layout of the licence (2019) puts 名称 beside 注册资本,
 * 类型 beside 成立日期, 法定代表人 beside 营业期限 and 住所 beside 经营范围, so a label read on the other side tells the row.
 */
const BESIDE: Partial<Record<keyof typeof LABELS, { anchor: keyof typeof LABELS; side: 'left' | 'right' }>> = {
  name: { anchor: 'capital', side: 'left' },
  type: { anchor: 'establishedOn', side: 'left' },
  legalRepresentative: { anchor: 'term', side: 'left' },
  address: { anchor: 'scope', side: 'right' },
};

function byLayout(segments: Segment[], key: keyof typeof LABELS): Segment | undefined {
  const place = BESIDE[key];
  const anchor = place && locate(segments, LABELS[place.anchor]);
  if (!place || !anchor) return undefined;
  const row = segments.filter((s) => s !== anchor.segment && sameRow(s, anchor.segment));
  const found =
    place.side === 'left'
      ? row.filter((s) => s.bbox.x1 <= anchor.segment.bbox.x0).sort((a, b) => b.bbox.x0 - a.bbox.x0)[0]
      : row.filter((s) => s.bbox.x0 >= anchor.segment.bbox.x1).sort((a, b) => a.bbox.x0 - b.bbox.x0)[0];
  if (!found) return undefined;
  // What is left of a spaced label (名 of 名　称) at its start.
  const label = LABELS[key][0];
  const lead = [...label].includes(found.text[0]) ? (found.text[1] === label[1] ? 2 : 1) : 0;
  return slice(found, lead);
}

/** A two-character label read with its first character wrong (住所 read 疳所), at the start of a row's segment. */
function afterMisreadLabel(segments: Segment[], key: keyof typeof LABELS, multiline: boolean): Segment | undefined {
  for (const label of LABELS[key].filter((l) => l.length === 2)) {
    const found = segments.find((s) => s.text[1] === label[1] && /^\p{Script=Han}/u.test(s.text));
    if (found)
      return valueAfter([found, ...segments.filter((s) => s !== found)], [found.text.slice(0, 2)], { stops: stops(key), multiline });
  }
  return undefined;
}

function valueOf(segments: Segment[], key: keyof typeof LABELS, multiline = false): Segment | undefined {
  const value = valueAfter(segments, LABELS[key], { stops: stops(key), multiline }) ?? afterMisreadLabel(segments, key, multiline);
  if (value || !BESIDE[key]) return value;
  const placed = byLayout(segments, key);
  if (!placed || !multiline) return placed;
  return withFollowingLines(segments, placed, stops(key));
}

/** 营业执照: 名称, 统一社会信用代码, 类型, 法定代表人, 住所, 成立日期. */
export function extractBusinessLicence(segments: Segment[], readings: Record<string, Reading[]> = {}): Extraction {
  const fields: OcrFields = {};
  const text = (key: 'name' | 'legalRepresentative' | 'address', multiline = false) => {
    const value = valueOf(segments, key, multiline);
    const clean = { name: enterpriseName, legalRepresentative: personName, address: addressText }[key];
    const cleaned = value && clean(value.text);
    if (value && cleaned) fields[key] = field(cleaned, value);
  };
  text('name', true);
  const type = valueOf(segments, 'type', true);
  if (type) {
    const read = chineseText(type.text);
    const known = nearest(read, ENTERPRISE_TYPES);
    fields.type = field(known?.value ?? read, type);
  }
  text('legalRepresentative');
  text('address', true);
  const established = valueAfter(segments, LABELS.establishedOn, { stops: stops('establishedOn') });
  const day = established && datesIn(established.text)[0];
  if (established && day) fields.establishedOn = field(day, established);

  // The code is printed under its label, or beside it; failing both, any 18-character run of code characters.
  const label = locate(segments, LABELS.uscc);
  const code =
    valueAfter(segments, LABELS.uscc, { stops: [], accept: (t) => /[0-9A-Za-z]{15}/.test(t) }) ??
    segments.find((s) => /[0-9A-Za-z]{18}/.test(s.text) && s !== label?.segment);
  const uscc = resolveIdentifier('uscc', [
    ...(readings.uscc ?? []),
    ...(code ? [{ text: code.text, confidence: field('', code).confidence }] : []),
  ]);
  if (uscc) fields.uscc = uscc;
  return { fields, regions: code ? { uscc: { kind: 'uscc', box: code.bbox } } : {} };
}
