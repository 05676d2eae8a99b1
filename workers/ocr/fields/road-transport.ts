import * as residentId from '../../../server/identifiers/resident-id';
import type { Segment } from '../layout';
import type { OcrFields } from '../types';
import type { Extraction } from './extraction';
import { valueAfter } from './find';
import { resolveIdentifier, type Reading } from './identifier';
import { chineseText, personName, datesIn, field, nearest } from './text';
import { QUALIFICATION_CATEGORIES } from './vocabulary';

const LABELS = {
  name: ['姓名'],
  idNumber: ['公民身份号码', '身份证号码', '身份证号'],
  certificateNumber: ['从业资格证号', '证号'],
  category: ['从业资格类别', '资格类别'],
  validity: ['有效期限', '有效期至', '有效期'],
  others: ['性别', '国籍', '出生日期', '住址', '准驾车型', '初领日期', '发证机关'],
};
const ALL = Object.values(LABELS).flat();
const stops = (own: keyof typeof LABELS) => ALL.filter((l) => !LABELS[own].includes(l));

/** 道路运输从业人员从业资格证 (and its dangerous-goods kind): name, ID number, certificate number, category, valid until. */
export function extractQualification(segments: Segment[], readings: Record<string, Reading[]> = {}): Extraction {
  const fields: OcrFields = {};
  const regions: Extraction['regions'] = {};
  const name = valueAfter(segments, LABELS.name, { stops: stops('name') });
  if (name) {
    const text = personName(name.text);
    if (text) fields.name = field(text, name);
  }
  const category = valueAfter(segments, LABELS.category, { stops: stops('category') });
  if (category) {
    const read = chineseText(category.text);
    fields.category = field(nearest(read, QUALIFICATION_CATEGORIES)?.value ?? read, category);
  }
  const validity = valueAfter(segments, LABELS.validity, { stops: stops('validity') });
  const days = validity ? datesIn(validity.text) : [];
  if (validity && days.length) fields.validUntil = field(days[days.length - 1], validity);

  // The certificate is numbered by the holder's ID number: read as one, it is checked by its check digit.
  const certificate = valueAfter(segments, LABELS.certificateNumber, { stops: stops('certificateNumber') });
  const id = valueAfter(segments, LABELS.idNumber, { stops: stops('idNumber') });
  const certificateReadings = [
    ...(readings.certificateNumber ?? []),
    ...(certificate ? [{ text: certificate.text, confidence: field('', certificate).confidence }] : []),
  ];
  if (certificate) {
    regions.certificateNumber = { kind: 'resident-id', box: certificate.bbox };
    const asId = resolveIdentifier('resident-id', certificateReadings);
    fields.certificateNumber =
      asId && !asId.flagged
        ? asId
        : field(
            chineseText(certificate.text)
              .replace(/[^0-9A-Za-z]/g, '')
              .toUpperCase(),
            certificate,
          );
  }
  if (id) regions.idNumber = { kind: 'resident-id', box: id.bbox };
  const idField = id
    ? resolveIdentifier('resident-id', [...(readings.idNumber ?? []), { text: id.text, confidence: field('', id).confidence }])
    : fields.certificateNumber && residentId.validate(fields.certificateNumber.value).valid
      ? fields.certificateNumber
      : undefined;
  if (idField) fields.idNumber = idField;
  return { fields, regions };
}
