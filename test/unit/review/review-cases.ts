import fs from 'node:fs';
import path from 'node:path';
import { DecisionSet } from '../../../server/engine/dmn/decisions';
import { licenseIdentifier, residentId, uscc } from '../../../server/identifiers';
import { loadMatters } from '../../../server/matters/catalog';
import { materialsFor } from '../../../server/matters/questionnaire';
import type { ActionId, Answers, Matter } from '../../../server/matters/schema';
import type { Enterprise, License, Person } from '../../../server/registries';
import type { FieldValue } from '../../../workers/prefill/prefill-form';
import { reviewFacts, type HandedInMaterial, type ReviewInput } from '../../../workers/review/facts';

/** Clean applications of the three matters (every field filled, the registries answering as the real ones would) and their review. */

export interface Finding {
  point: string;
  severity: string;
  message: string;
  field: string | null;
}

export const PROCESSES = 'processes';
export const matters = loadMatters(PROCESSES).list();
export const matterOf = (slug: string): Matter => matters.find((m) => m.slug === slug)!;
export const tableFile = (matter: Matter): string => path.join(PROCESSES, matter.slug, 'review.dmn');
export const CHINESE = /[\u4e00-\u9fff]/;

const tables = new Map<string, Promise<DecisionSet>>();

/** The findings of the matter's review table (processes/<slug>/review.dmn) over the facts of the application. */
export async function review(input: ReviewInput): Promise<Finding[]> {
  const slug = input.matter.slug;
  if (!tables.has(slug)) tables.set(slug, DecisionSet.parse(fs.readFileSync(tableFile(input.matter), 'utf8')));
  return (await tables.get(slug)!).evaluate(`${slug}-review`, { facts: reviewFacts(input) }) as Finding[];
}

export const points = (findings: Finding[]): string[] => findings.map((f) => f.point).sort();

export const TODAY = '2026-11-20';
export const TOMORROW = '2026-11-21';

const withUsccCheck = (body: string) => body + uscc.checkChar(body)!;
const withIdCheck = (body: string) => body + residentId.checkChar(body)!;

/** The same code with its check character replaced by another valid one. */
export const wrongCheck = (code: string) => code.slice(0, -1) + (code.endsWith('1') ? '2' : '1');

const HOTEL_USCC = withUsccCheck('91110101MA01C7QH2');
const REPRESENTATIVE = { name: '王建国', idNumber: withIdCheck('11010119800101123') };
const FORMER_REPRESENTATIVE = '李明';
const BOOKSHOP_USCC = withUsccCheck('91110101MA00E4LK5');
const HAULIER_USCC = withUsccCheck('91350100MA2Y8P3K7');
const STAFF_ID = withIdCheck('35010219880512235');

const HYGIENE_PERMIT = '11100000MB1640886L012';
const PUBLICATION_LICENSE = '11100000MB0Y1573XM005';
const QUALIFICATION = '11100000000013872T003';

export function enterprise(overrides: Partial<Enterprise> = {}): Enterprise {
  return {
    uscc: HOTEL_USCC,
    name: '北京悦华酒店管理有限公司',
    type: '有限责任公司(自然人投资或控股)',
    legalRepresentative: REPRESENTATIVE,
    address: '北京市东城区东直门南大街8号',
    establishedOn: '2015-06-18',
    registeredCapital: 500,
    status: 'active',
    businessScope: '住宿服务；餐饮服务；会议及展览服务',
    phone: '010-64001234',
    ...overrides,
  };
}

export function license(overrides: Partial<License> = {}): License {
  return {
    id: 'lic-hygiene-1',
    identifier: licenseIdentifier.build({
      typeCode: overrides.typeCode ?? HYGIENE_PERMIT,
      issuerCode: '11110101MB1D20451M',
      serial: overrides.id === undefined ? '20230001' : overrides.id.replace(/[^0-9A-Z]/gi, '').toUpperCase(),
      version: 1,
    }),
    typeCode: HYGIENE_PERMIT,
    typeName: '公共场所卫生许可证',
    number: '京卫公证字〔2023〕第1101010012号',
    issuerName: '北京市东城区卫生健康委员会',
    issuerCode: '11110101MB1D20451M',
    issueDate: '2023-03-15',
    validFrom: '2023-03-15',
    validUntil: '2027-03-14',
    holderName: '北京悦华宾馆有限公司',
    holderCode: HOTEL_USCC,
    holderType: '001',
    territoryCode: '110101',
    relatedIdentifier: null,
    version: 1,
    status: 'valid',
    data: {
      legalRepresentative: FORMER_REPRESENTATIVE,
      premisesName: '悦华宾馆',
      premisesType: '宾馆',
      address: '北京市东城区东直门南大街8号',
      area: 2400,
    },
    documentSha256: null,
    createdAt: '2023-03-15T02:00:00.000Z',
    ...overrides,
  };
}

const hygieneCommon = {
  uscc: HOTEL_USCC,
  legalRepresentative: REPRESENTATIVE.name,
  legalRepresentativeIdNumber: REPRESENTATIVE.idNumber,
  premisesAddress: '北京市东城区东直门南大街8号',
  staffCount: 36,
  certifiedStaffCount: 36,
  hygieneManager: '赵丽',
  hygieneManagerPhone: '13911002233',
  contactName: '孙强',
  contactPhone: '010-64001234',
  commitmentAccepted: true,
  licenseNumber: '京卫公证字〔2023〕第1101010012号',
};

const HYGIENE_FORMS: Record<string, Record<string, FieldValue>> = {
  apply: {
    ...hygieneCommon,
    unitName: '北京悦华酒店管理有限公司',
    registeredAddress: '北京市东城区东直门南大街8号',
    premisesName: '悦华酒店',
    businessItems: 'accommodation',
    floorArea: 2400,
  },
  change: {
    ...hygieneCommon,
    originalUnitName: '北京悦华宾馆有限公司',
    originalLegalRepresentative: FORMER_REPRESENTATIVE,
    businessItems: '宾馆',
    issueDate: '2023-03-15',
    validUntil: '2027-03-14',
    unitName: '北京悦华酒店管理有限公司',
    changeItems: ['unit-name', 'legal-representative'],
    changeReason: '公司更名并更换法定代表人，营业执照已完成变更登记',
    registrationChangeDate: '2026-10-28',
  },
  renew: {
    ...hygieneCommon,
    validUntil: '2027-01-10',
    unitName: '北京悦华酒店管理有限公司',
    businessItems: '宾馆',
    floorArea: 2400,
  },
  cancel: {
    ...hygieneCommon,
    unitName: '北京悦华酒店管理有限公司',
    stopDate: '2026-11-15',
    cancelNote: '酒店已停止营业',
  },
};

const HYGIENE_ANSWERS: Record<string, Answers> = {
  apply: { venueType: 'accommodation', commitmentMode: 'standard', airConditioning: 'yes', agent: 'self' },
  change: { changeItems: ['unit-name', 'legal-representative'], agent: 'self' },
  renew: { renewChanges: 'facilities', airConditioning: 'yes', agent: 'self' },
  cancel: { cancelReason: 'stopped', agent: 'self' },
};

const HYGIENE_SITUATIONS: Record<string, string> = {
  apply: 'apply-standard',
  change: 'change-name-or-representative',
  renew: 'renew-facilities-changed',
  cancel: 'cancel-stopped',
};

/** What the application says, one value per field of the action; a field left out is a mistake of the test. */
function formOf(matter: Matter, action: ActionId, values: Record<string, FieldValue>) {
  const fields = matter.actions[action]!.fields;
  const missing = fields.filter((f) => !(f.key in values)).map((f) => f.key);
  if (missing.length) throw new Error(`${matter.slug} ${action}: the clean form lacks ${missing.join(', ')}`);
  return Object.fromEntries(fields.map((f) => [f.key, { value: values[f.key], source: 'applicant' as const, locked: false }]));
}

/** OCR of a material that read exactly what the form says. */
export function readingOf(matter: Matter, input: ReviewInput, code: string): HandedInMaterial {
  const material = matter.materials.find((m) => m.code === code)!;
  const fields = Object.fromEntries(
    Object.entries(material.ocr?.fields ?? {}).map(([read, formKey]) => [
      read,
      { value: String(input.form[formKey]?.value ?? ''), confidence: 0.97 },
    ]),
  );
  return { code, ocrStatus: material.ocr ? 'done' : 'none', fields };
}

/**
 * The material list the guidance gives (platform-fetched ones exempt, except those in `uploaded`), with every material
 * the applicant must hand in handed in, and those in `uploaded` read by OCR as the form says.
 */
function materialsOf(matter: Matter, action: ActionId, answers: Answers, uploaded: string[]) {
  const list = materialsFor(matter, action, answers).map((m) => {
    const fetched = (m.source.channel === 'e-licence' || m.source.channel === 'shared-data') && !uploaded.includes(m.code);
    return {
      code: m.code,
      name: m.name,
      required: m.requirement !== 'optional',
      channel: m.source.channel,
      ...(fetched ? { exemptBecause: '由本平台从电子证照库或者共享数据调取' } : {}),
    };
  });
  const handed = list.filter((m) => m.required && !m.exemptBecause && m.channel !== 'generated').map((m) => m.code);
  return { list, handed };
}

function assemble(
  matter: Matter,
  action: ActionId,
  parts: Omit<ReviewInput, 'matter' | 'action' | 'materialList' | 'handedIn' | 'form' | 'today'> & {
    values: Record<string, FieldValue>;
    uploaded: string[];
  },
): ReviewInput {
  const { values, uploaded, ...rest } = parts;
  const { list, handed } = materialsOf(matter, action, parts.answers, uploaded);
  const input: ReviewInput = {
    ...rest,
    matter,
    action,
    form: formOf(matter, action, values),
    materialList: list,
    handedIn: [],
    today: TODAY,
  };
  input.handedIn = handed.map((code) => readingOf(matter, input, code));
  return input;
}

/** A clean application: the review finds nothing. */
export function cleanInput(matter: Matter, action: ActionId): ReviewInput {
  switch (matter.slug) {
    case 'public-place-hygiene-permit':
      return assemble(matter, action, {
        situation: HYGIENE_SITUATIONS[action],
        answers: HYGIENE_ANSWERS[action],
        values: HYGIENE_FORMS[action],
        uploaded: action === 'apply' ? ['HP-03'] : action === 'change' ? ['HP-13'] : [],
        holderCode: HOTEL_USCC,
        enterprise: enterprise(),
        license: action === 'apply' ? undefined : license(action === 'change' ? {} : { holderName: '北京悦华酒店管理有限公司' }),
        secondParty: null,
        confirmed: null,
      });
    case 'publication-licence-reissue':
      return assemble(matter, action, {
        situation: 'reissue-damaged',
        answers: { registrationChanged: 'no', lossType: 'damaged', agent: 'self' },
        values: {
          unitName: '北京书香文化发展有限公司',
          uscc: BOOKSHOP_USCC,
          legalRepresentative: '周敏',
          licenseNumber: '新出发京零字第东230012号',
          businessScope: '图书、报纸、期刊、电子出版物、音像制品零售',
          premisesAddress: '北京市东城区美术馆东街25号',
          issueDate: '2023-06-01',
          validUntil: '2028-05-31',
          reissueCopies: 'both',
          lossDate: '2026-11-02',
          lossCircumstances: '店内漏水，许可证正本和副本被水浸泡，证面字迹模糊',
          contactName: '周敏',
          contactPhone: '13701234567',
          statementAccepted: true,
        },
        uploaded: [],
        holderCode: BOOKSHOP_USCC,
        enterprise: enterprise({
          uscc: BOOKSHOP_USCC,
          name: '北京书香文化发展有限公司',
          legalRepresentative: { name: '周敏', idNumber: withIdCheck('11010119850317062') },
          address: '北京市东城区美术馆东街25号',
          businessScope: '图书、报纸、期刊、电子出版物、音像制品零售；文具用品零售',
        }),
        license: license({
          id: 'lic-publication-1',
          typeCode: PUBLICATION_LICENSE,
          typeName: '出版物经营许可证',
          number: '新出发京零字第东230012号',
          issuerName: '北京市东城区文化和旅游局',
          issueDate: '2023-06-01',
          validFrom: '2023-06-01',
          validUntil: '2028-05-31',
          holderName: '北京书香文化发展有限公司',
          holderCode: BOOKSHOP_USCC,
          data: {
            legalRepresentative: '周敏',
            businessAddress: '北京市东城区美术馆东街25号',
            scope: '图书、报纸、期刊、电子出版物、音像制品零售',
          },
        }),
        secondParty: null,
        confirmed: null,
      });
    case 'dangerous-goods-staff-employer-change':
      return assemble(matter, action, {
        situation: 'change-driver',
        answers: { staffCategory: 'driver', certificateOrigin: 'local' },
        values: {
          employerName: '福州闽运危险货物运输有限公司',
          employerUscc: HAULIER_USCC,
          employerAddress: '福建省福州市鼓楼区五四路158号',
          businessScope: '道路危险货物运输；道路货物运输（不含危险货物）；国内货物运输代理',
          staffName: '陈志强',
          staffIdNumber: STAFF_ID,
          staffMobile: '13805901234',
          qualificationNumber: STAFF_ID,
          qualificationCategory: '道路危险货物运输驾驶员',
          qualificationValidUntil: '2029-08-31',
          previousEmployer: '福州顺达物流有限公司',
          employmentStart: '2026-11-01',
          contactName: '林芳',
          contactPhone: '0591-87654321',
        },
        uploaded: ['DG-02'],
        holderCode: HAULIER_USCC,
        enterprise: enterprise({
          uscc: HAULIER_USCC,
          name: '福州闽运危险货物运输有限公司',
          legalRepresentative: { name: '郑海', idNumber: withIdCheck('35010219700304113') },
          address: '福建省福州市鼓楼区五四路158号',
          businessScope: '道路危险货物运输；道路货物运输（不含危险货物）；国内货物运输代理',
        }),
        license: undefined,
        secondParty: {
          person: staff(),
          license: license({
            id: 'lic-qualification-1',
            typeCode: QUALIFICATION,
            typeName: '道路运输从业人员从业资格证',
            number: STAFF_ID,
            issuerName: '福州市交通运输局',
            issueDate: '2023-09-01',
            validFrom: '2023-09-01',
            validUntil: '2029-08-31',
            holderName: '陈志强',
            holderCode: STAFF_ID,
            holderType: '111',
            territoryCode: '350100',
            data: {
              category: '道路危险货物运输驾驶员',
              employerName: '福州顺达物流有限公司',
              employerUscc: withUsccCheck('91350100MA2X1B4C6'),
            },
          }),
        },
        confirmed: true,
      });
    default:
      throw new Error(`no clean case for ${matter.slug}`);
  }
}

export function staff(overrides: Partial<Person> = {}): Person {
  return {
    idNumber: STAFF_ID,
    name: '陈志强',
    sex: '男',
    ethnicity: '汉族',
    birthDate: '1988-05-12',
    address: '福建省福州市鼓楼区杨桥中路12号',
    phone: '13805901234',
    employerUscc: null,
    ...overrides,
  };
}

export const patchEnterprise = (input: ReviewInput, overrides: Partial<Enterprise>): void => {
  input.enterprise = { ...(input.enterprise as Enterprise), ...overrides };
};
export const patchLicense = (input: ReviewInput, overrides: Partial<License>): void => {
  input.license = { ...(input.license as License), ...overrides };
};
export const patchQualification = (input: ReviewInput, overrides: Partial<License>): void => {
  input.secondParty!.license = { ...(input.secondParty!.license as License), ...overrides };
};

/** Sets a form field's value (null empties it). */
export function setField(input: ReviewInput, key: string, value: FieldValue | null): void {
  input.form[key] = { value, source: 'applicant', locked: false };
}

/** The material is not handed in, and nothing exempts it. */
export function withhold(input: ReviewInput, code: string): void {
  input.handedIn = input.handedIn.filter((m) => m.code !== code);
  input.materialList = input.materialList.map((m) => (m.code === code ? { ...m, exemptBecause: undefined } : m));
}

/** The material handed in as well, read by OCR as `fields` says (by default, as the form says). */
export function handIn(input: ReviewInput, code: string, change: (m: HandedInMaterial) => void = () => {}): void {
  const material = readingOf(input.matter, input, code);
  change(material);
  input.handedIn = [...input.handedIn.filter((m) => m.code !== code), material];
}
