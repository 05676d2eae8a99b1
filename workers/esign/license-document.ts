import { rgb } from 'pdf-lib';
import { licenseIdentifier } from '../../server/identifiers';
import { LICENSE_TYPES } from '../../server/registries/license-types';
import type { License } from '../../server/registries/records';
import { documentInvalid } from './errors';
import { A4, GREY, Sheet, chineseDate, drawQrCode, drawSeal, newDocument, saveDocument } from './layout';

/** The licence fields a document prints (the GB/T 36903 metadata; type-specific fields in `data`). */
export type LicenseForDocument = Pick<
  License,
  | 'identifier'
  | 'typeCode'
  | 'typeName'
  | 'number'
  | 'issuerName'
  | 'issuerCode'
  | 'issueDate'
  | 'validFrom'
  | 'validUntil'
  | 'holderName'
  | 'holderCode'
  | 'holderType'
  | 'data'
>;

export interface LicenseDocumentOptions {
  /** Printed as a QR code, e.g. `${publicUrl}/api/v1/licenses/${id}/verify`. */
  verifyUrl: string;
  /** The PDF's creation date. */
  createdAt: Date;
}

export interface Field {
  label: string;
  value: string;
}

/** What the licence page shows, in the order of the paper licence of its type. */
export interface LicenseSheet {
  title: string;
  number: string;
  fields: Field[];
  issuerName: string;
  issueDate: string;
  identifier: string;
  verifyUrl: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

const fields = (entries: Array<[string, unknown]>): Field[] =>
  entries.flatMap(([label, value]) => (text(value) === undefined || text(value) === '' ? [] : [{ label, value: text(value)! }]));

const validity = (license: LicenseForDocument) =>
  `自${chineseDate(license.validFrom)}至${license.validUntil ? chineseDate(license.validUntil) : '长期'}`;

/** Labels of the `data` fields a generic licence prints; other fields are not for the paper. */
const DATA_LABELS: Record<string, string> = {
  enterpriseType: '类型',
  legalRepresentative: '法定代表人',
  premisesName: '场所名称',
  address: '地址',
  businessAddress: '经营场所',
  scope: '经营范围',
  businessScope: '经营范围',
  mode: '经营方式',
  registeredCapital: '注册资本',
  establishedOn: '成立日期',
  businessTerm: '营业期限',
  sex: '性别',
  birthDate: '出生日期',
  nationality: '国籍',
  category: '从业资格类别',
  vehicleClass: '准驾车型',
  employerName: '服务单位',
  firstIssuedOn: '初次领证日期',
};

const DATE_FIELDS = new Set(['establishedOn', 'birthDate', 'firstIssuedOn']);

export function licenseSheet(license: LicenseForDocument, verifyUrl: string): LicenseSheet {
  const d = license.data;
  const common = {
    title: license.typeName,
    number: license.number,
    issuerName: license.issuerName,
    issueDate: chineseDate(license.issueDate),
    identifier: license.identifier,
    verifyUrl,
  };
  switch (license.typeCode) {
    case LICENSE_TYPES.hygienePermit.code:
      return {
        ...common,
        fields: fields([
          ['单位名称', license.holderName],
          ['法定代表人（负责人）', d.legalRepresentative],
          ['地址', d.address],
          ['许可项目', d.premisesType],
          ['有效期限', validity(license)],
        ]),
      };
    case LICENSE_TYPES.publicationLicense.code:
      return {
        ...common,
        fields: fields([
          ['单位名称', license.holderName],
          ['法定代表人或主要负责人', d.legalRepresentative],
          ['经营场所', d.businessAddress ?? d.address],
          ['经营范围', d.scope],
          ['经营方式', d.mode],
          ['注册资本', d.registeredCapital],
          ['有效期限', validity(license)],
        ]),
      };
    default:
      return {
        ...common,
        fields: fields([
          ['持证者', license.holderName],
          [license.holderType === '111' ? '公民身份号码' : '统一社会信用代码', license.holderCode],
          ...Object.entries(DATA_LABELS).map(([key, label]): [string, unknown] => [
            label,
            DATE_FIELDS.has(key) && typeof d[key] === 'string' ? chineseDate(d[key] as string) : d[key],
          ]),
          ['有效期限', validity(license)],
        ]).filter((field, i, all) => all.findIndex((f) => f.label === field.label) === i),
      };
  }
}

function check(license: LicenseForDocument): void {
  const checked = licenseIdentifier.validate(license.identifier);
  if (!checked.valid) throw documentInvalid(`电子证照标识 ${license.identifier} 有误：${checked.reason}`);
  const parts = licenseIdentifier.parse(license.identifier)!;
  if (parts.typeCode !== license.typeCode || parts.issuerCode !== license.issuerCode) {
    throw documentInvalid(`电子证照标识 ${license.identifier} 与证照类型代码 ${license.typeCode}、颁发机构代码 ${license.issuerCode} 不符`);
  }
}

const LANDSCAPE = { width: A4.height, height: A4.width };
const FRAME = rgb(0.62, 0.47, 0.16);
const LABEL_WIDTH = 190;

/** The licence as one landscape A4 page: frame, title, number, fields, issuer with its seal, QR code, identifier. */
export async function renderLicense(license: LicenseForDocument, options: LicenseDocumentOptions): Promise<Uint8Array> {
  check(license);
  const sheetData = licenseSheet(license, options.verifyUrl);
  const texts = [
    sheetData.number,
    sheetData.issuerName,
    sheetData.issueDate,
    sheetData.identifier,
    ...sheetData.fields.flatMap((f) => [f.label, f.value]),
  ];
  const { pdf, fonts } = await newDocument(
    {
      title: `${sheetData.title}（${license.holderName}）`,
      author: license.issuerName,
      subject: `${sheetData.title} ${license.number}`,
      keywords: [license.identifier],
      createdAt: options.createdAt,
    },
    [...texts, '发证机关', '发证日期', '扫码核验', '电子证照标识：', '行政许可专用章', '：'],
  );
  const page = pdf.addPage([LANDSCAPE.width, LANDSCAPE.height]);
  const sheet = new Sheet(page, fonts);
  const { width, height } = LANDSCAPE;

  page.drawRectangle({ x: 22, y: 22, width: width - 44, height: height - 44, borderColor: FRAME, borderWidth: 3 });
  page.drawRectangle({ x: 30, y: 30, width: width - 60, height: height - 60, borderColor: FRAME, borderWidth: 0.8 });

  const titleSize = sheetData.title.length > 10 ? 26 : 32;
  sheet.text(sheetData.title, width / 2, height - 100, { size: titleSize, bold: true, spacing: titleSize * 0.25, align: 'center' });
  sheet.text(sheetData.number, width / 2, height - 132, { size: 13, align: 'center' });

  const valueX = 100 + LABEL_WIDTH;
  const valueWidth = width - valueX - 90;
  let y = height - 190;
  for (const field of sheetData.fields) {
    sheet.text(`${field.label}：`, valueX - 4, y, { size: 15, align: 'right' });
    y = sheet.paragraph(field.value, valueX, y, valueWidth, { size: 15, lineHeight: 22 }) - 14;
  }

  const issuerRight = width - 70;
  const issuerLine = `发证机关：${sheetData.issuerName}`;
  const issuerWidth = Math.max(sheet.width(issuerLine, { size: 14 }), 200);
  sheet.text(issuerLine, issuerRight - issuerWidth, 122, { size: 14 });
  sheet.text(`发证日期：${sheetData.issueDate}`, issuerRight - issuerWidth, 96, { size: 14 });
  drawSeal(sheet, issuerRight - issuerWidth / 2 + 30, 112, 54, sheetData.issuerName, '行政许可专用章');

  drawQrCode(pdf, page, sheetData.verifyUrl, 70, 62, 78);
  sheet.text('扫码核验', 109, 50, { size: 9, color: GREY, align: 'center' });
  sheet.text(`电子证照标识：${sheetData.identifier}`, width / 2, 38, { size: 7, color: GREY, align: 'center' });

  return saveDocument(pdf);
}
