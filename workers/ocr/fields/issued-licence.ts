import { PROVINCES } from '../../../server/identifiers/region-code';
import { join, sameRow, slice, type Segment } from '../layout';
import type { OcrField, OcrFields } from '../types';
import type { Extraction } from './extraction';
import { bandBeside, locate, valueAfter } from './find';
import { resolveIdentifier, type Reading } from './identifier';
import { chineseText, datesIn, digitsOf, enterpriseName, field } from './text';

const LABELS = {
  licenseNumber: ['许可证编号', '许可证号', '编号', '证号'],
  holderName: ['单位名称', '经营单位', '持证单位', '名称'],
  validity: ['有效期限', '有效期'],
  identifier: ['电子证照标识'],
  others: ['法定代表人', '负责人', '地址', '经营场所', '许可项目', '经营范围', '经营方式', '发证机关', '发证日期'],
};
const ALL = Object.values(LABELS).flat();
const stops = (own: keyof typeof LABELS) => ALL.filter((l) => !LABELS[own].includes(l));

const SHORTS = new Set(Object.values(PROVINCES).map((p) => p.short));

/** Licence numbers put the year in 〔〕, which OCR reads as any bracket or two, now and then with a stray mark among its digits. */
function licenceNumber(reading: string): string {
  return chineseText(reading)
    .replace(/字([^第]{4,9})第/, (read, year: string) => {
      const plain = year.replace(/\D/g, '');
      const digits = plain.length === 4 ? plain : digitsOf(year).replace(/\D/g, '');
      return digits.length === 4 ? `字〔${digits}〕第` : read;
    })
    .replace(/第([\dOoIlSB]+)号/, (_, n: string) => `第${digitsOf(n)}号`);
}

/**
 * A number that begins with a province's abbreviation (京卫公证字…) misread: the province is known from the issuer's code
 * in a valid e-licence identifier, else from the division code in the number; the abbreviation is put back (`repaired`).
 */
function settleProvince(number: OcrField, identifier: OcrField | undefined): OcrField {
  const first = number.value[0];
  if (!first || SHORTS.has(first) || !/^.(卫|出版|新出)/.test(number.value.replace(/^新出发/, '新出'))) return number;
  const issuerRegion = identifier && !identifier.flagged ? identifier.value.split('.')[6]?.slice(2, 4) : undefined;
  const province = PROVINCES[issuerRegion ?? /第(\d{2})\d{4}/.exec(number.value)?.[1] ?? ''];
  return province ? { ...number, value: province.short + number.value.slice(1), repaired: true } : number;
}

/** A number whose label was misread, found by how it is written: …卫公证字…, 新出发…零字第… */
function byPattern(segments: Segment[]): Segment | undefined {
  for (const segment of segments) {
    const hygiene = segment.text.indexOf('公证字');
    if (hygiene >= 2) return slice(segment, hygiene - 2);
    const publication = /出发.零字第/.exec(segment.text);
    if (publication && publication.index >= 1) return slice(segment, publication.index - 1);
  }
  return undefined;
}

/** Our own licences (公共场所卫生许可证, 出版物经营许可证): number, holder, term, and the e-licence identifier printed on them. */
export function extractIssuedLicence(segments: Segment[], readings: Record<string, Reading[]> = {}): Extraction {
  const fields: OcrFields = {};
  const number = valueAfter(segments, LABELS.licenseNumber, { stops: stops('licenseNumber') }) ?? byPattern(segments);
  if (number) fields.licenseNumber = field(licenceNumber(number.text), number);
  const holder = valueAfter(segments, LABELS.holderName, { stops: stops('holderName'), multiline: true });
  if (holder) fields.holderName = field(enterpriseName(holder.text), holder);
  const validity = valueAfter(segments, LABELS.validity, { stops: stops('validity'), multiline: true });
  const [from, until] = validity ? datesIn(validity.text) : [];
  if (validity && from) fields.validFrom = field(from, validity);
  if (validity && until) fields.validUntil = field(until, validity);

  // Small print is often read in pieces: the identifier is the whole row its first piece is on.
  const first =
    valueAfter(segments, LABELS.identifier, { stops: [], accept: (t) => /^1[.,·]2/.test(t) }) ??
    segments.find((s) => /^1[.,·]2[.,·]156/.test(s.text));
  const rest = first ? segments.filter((s) => sameRow(s, first) && s.bbox.x0 >= first.bbox.x1 - 2) : [];
  const printed = first && join([first, ...rest.sort((a, b) => a.bbox.x0 - b.bbox.x0)]);
  const identifier = resolveIdentifier('licence-identifier', [
    ...(readings.identifier ?? []),
    ...(printed ? [{ text: printed.text, confidence: field('', printed).confidence }] : []),
  ]);
  if (identifier) fields.identifier = identifier;
  if (fields.licenseNumber) fields.licenseNumber = settleProvince(fields.licenseNumber, identifier);
  const band = printed ? undefined : bandBeside(locate(segments, LABELS.identifier), 'below');
  const region = printed
    ? { kind: 'licence-identifier' as const, box: printed.bbox }
    : band && { kind: 'licence-identifier' as const, box: band, loose: true };
  return { fields, regions: region ? { identifier: region } : {} };
}
