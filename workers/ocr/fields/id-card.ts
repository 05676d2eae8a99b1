import * as residentId from '../../../server/identifiers/resident-id';
import { slice, type Segment } from '../layout';
import type { OcrFields } from '../types';
import { bandBeside, locate, valueAfter } from './find';
import { resolveIdentifier, type Reading } from './identifier';
import { address as addressText, chineseText, personName, datesIn, digitsOf, field, nearest } from './text';
import type { Extraction } from './extraction';
import { ETHNICITIES } from './vocabulary';

const LABELS = {
  name: ['姓名'],
  sex: ['性别'],
  ethnicity: ['民族'],
  birthDate: ['出生'],
  address: ['住址'],
  idNumber: ['公民身份号码', '身份号码'],
};
const ALL = Object.values(LABELS).flat();
const stops = (own: keyof typeof LABELS) => ALL.filter((l) => !LABELS[own].includes(l));

/** A read date or sex at least this sure, that disagrees with a valid ID number, is flagged rather than corrected. */
const SURE = 0.8;

/** 居民身份证 front: 姓名, 性别, 民族, 出生, 住址, 公民身份号码; birth date and sex checked against the ID number. */
export function extractIdCard(segments: Segment[], readings: Record<string, Reading[]> = {}): Extraction {
  const fields: OcrFields = {};
  const name = valueAfter(segments, LABELS.name, { stops: stops('name') });
  if (name) {
    const text = personName(name.text);
    if (text) fields.name = field(text, name);
  }
  if (!fields.name) {
    const guess = nameAboveSexRow(segments);
    if (guess) fields.name = guess;
  }
  // 性别 and 民族 share a row: the sex is the first 男 or 女 after its label.
  const sexRow = valueAfter(segments, LABELS.sex, { stops: [] });
  const sex = sexRow && /[男女]/.exec(sexRow.text);
  if (sexRow && sex) fields.sex = field(sex[0], slice(sexRow, sex.index, sex.index + 1));
  const ethnicity = valueAfter(segments, LABELS.ethnicity, { stops: stops('ethnicity') });
  if (ethnicity) {
    const text = chineseText(ethnicity.text).replace(/族$/, '');
    const known = nearest(text, ETHNICITIES);
    if (known) fields.ethnicity = field(`${known.value}族`, ethnicity);
    // One character read as no group's name: 汉, nine in ten cardholders, is the likeliest; said with low confidence.
    else if ([...text].length === 1) fields.ethnicity = field('汉族', Math.min(0.4, field('', ethnicity).confidence));
  }
  const birth = valueAfter(segments, LABELS.birthDate, { stops: stops('birthDate') });
  const birthDate = birth && datesIn(digitsOf(birth.text).replace(/\s/g, ''))[0];
  if (birth && birthDate) fields.birthDate = field(birthDate, birth);
  const address = valueAfter(segments, LABELS.address, { stops: stops('address'), multiline: true });
  if (address) fields.address = field(addressText(address.text), address);
  const number = valueAfter(segments, LABELS.idNumber, { stops: [], accept: (t) => /\d{12}/.test(digitsOf(t)) });
  const anyNumber = number ?? segments.find((s) => /\d{15}/.test(digitsOf(s.text)));
  const id = resolveIdentifier('resident-id', [
    ...(readings.idNumber ?? []),
    ...(anyNumber ? [{ text: anyNumber.text, confidence: field('', anyNumber).confidence }] : []),
  ]);
  if (id) fields.idNumber = id;
  crossCheck(fields);
  const band = anyNumber ? undefined : bandBeside(locate(segments, LABELS.idNumber), 'right');
  const region = anyNumber
    ? { kind: 'resident-id' as const, box: anyNumber.bbox }
    : band && { kind: 'resident-id' as const, box: band, loose: true };
  return { fields, regions: region ? { idNumber: region } : {} };
}

/** The ID number holds the birth date and (by its 17th digit) the sex: a valid one settles a doubtful reading of either. */
export function crossCheck(fields: OcrFields): void {
  const id = fields.idNumber;
  const parts = id && !id.flagged ? residentId.parse(id.value) : undefined;
  if (!parts) return;
  const settle = (key: 'birthDate' | 'sex', expected: string, what: string) => {
    const read = fields[key];
    if (read?.value === expected) return;
    if (read && read.confidence >= SURE) fields[key] = { ...read, flagged: `${what}“${read.value}”与身份证号码不符（号码为${expected}）` };
    else fields[key] = { value: expected, confidence: id.confidence, repaired: true };
  };
  settle('birthDate', parts.birthDate, '出生日期');
  settle('sex', parts.sex, '性别');
}

/**
 * The 姓名 label misread (a stamp of ink reads as "E"): the name is the one line just above the 性别 row, starting in
 * its column, of two to four Han characters once the misread label is dropped. Said with less confidence.
 */
function nameAboveSexRow(segments: Segment[]): OcrFields[string] | undefined {
  const sex = locate(segments, LABELS.sex);
  if (!sex) return undefined;
  const row = sex.segment;
  const lh = row.lineHeight;
  const above = segments
    .filter((s) => s.bbox.y1 <= row.bbox.y0 + lh * 0.3 && row.bbox.y0 - s.bbox.y1 < lh * 2.5)
    .filter((s) => Math.abs(s.bbox.x0 - row.bbox.x0) < lh * 2)
    .sort((a, b) => b.bbox.y1 - a.bbox.y1)[0];
  if (!above || locate([above], ALL)?.exact) return undefined;
  const text = personName(above.text.replace(/^.*?(?=[\u3400-\u9fff]{2,4}$)/u, ''));
  if (!/^[\u3400-\u9fff·]{2,6}$/u.test(text)) return undefined;
  return field(text, Math.min(0.6, meanOf(above.confidences)));
}

const meanOf = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
