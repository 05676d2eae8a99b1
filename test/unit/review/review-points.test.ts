import { expect } from 'chai';
import type { ActionId } from '../../../server/matters/schema';
import type { License } from '../../../server/registries';
import type { HandedInMaterial, ReviewInput } from '../../../workers/review/facts';
import {
  CHINESE,
  cleanInput,
  handIn,
  matterOf,
  patchEnterprise,
  patchLicense,
  patchQualification,
  points,
  review,
  setField,
  staff,
  TOMORROW,
  withhold,
  wrongCheck,
} from './review-cases';

/** A minimal change of a clean application that one review point must catch. */
interface Mistake {
  point: string;
  what: string;
  change: (input: ReviewInput) => void;
  /** Only for these actions of the point (default: all the point's actions). */
  actions?: ActionId[];
  /** Points that rightly fire too (a missing layout plan is also a missing material). */
  also?: string[];
}

const ocrCode: Record<string, Partial<Record<ActionId, string>>> = {
  'public-place-hygiene-permit': { apply: 'HP-03', change: 'HP-13', renew: 'HP-12', cancel: 'HP-12' },
  'publication-licence-reissue': { apply: 'PUB-05' },
  'dangerous-goods-staff-employer-change': { apply: 'DG-02' },
};
const misread = (input: ReviewInput) =>
  handIn(input, ocrCode[input.matter.slug][input.action]!, (m) => {
    const [first] = Object.keys(m.fields);
    m.fields[first] = { value: `${m.fields[first].value}1`, confidence: 0.9 };
  });
const unreadable =
  (code?: string, status: HandedInMaterial['ocrStatus'] = 'failed') =>
  (input: ReviewInput) =>
    handIn(input, code ?? ocrCode[input.matter.slug][input.action]!, (m) => {
      m.ocrStatus = status;
      m.fields = {};
    });
/** The e-licence identifier with its check character replaced by another. */
const wrongIdentifierCheck = (identifier: string) => identifier.slice(0, -1) + (identifier.endsWith('A') ? 'B' : 'A');

const MISTAKES: Record<string, Mistake[]> = {
  'public-place-hygiene-permit': [
    { point: 'HP-R01', what: 'the enterprise is revoked', change: (i) => patchEnterprise(i, { status: 'revoked' }) },
    { point: 'HP-R01', what: 'the enterprise is cancelled', change: (i) => patchEnterprise(i, { status: 'cancelled' }) },
    { point: 'HP-R01', what: 'the enterprise is not registered', change: (i) => (i.enterprise = undefined) },
    {
      point: 'HP-R01',
      what: 'the unit name differs from the registry',
      actions: ['apply', 'renew'],
      change: (i) => setField(i, 'unitName', '北京悦华大酒店有限公司'),
    },
    {
      point: 'HP-R01',
      what: 'the representative differs from the registry',
      actions: ['apply', 'renew'],
      change: (i) => patchEnterprise(i, { legalRepresentative: { name: '王建军', idNumber: '110101198001011236' } }),
    },
    { point: 'HP-R02', what: 'the licence is revoked', change: (i) => patchLicense(i, { status: 'revoked' }) },
    { point: 'HP-R02', what: 'the licence is superseded', change: (i) => patchLicense(i, { status: 'superseded' }) },
    { point: 'HP-R02', what: 'the licence expired yesterday', change: (i) => patchLicense(i, { validUntil: '2026-11-19' }) },
    { point: 'HP-R02', what: 'the licence is marked expired', change: (i) => patchLicense(i, { status: 'expired', validUntil: null }) },
    { point: 'HP-R02', what: 'the licence is not in the library', change: (i) => (i.license = undefined) },
    { point: 'HP-R02', what: 'the licence is held by another unit', change: (i) => patchLicense(i, { holderCode: '91110101MA01C7QH3X' }) },
    {
      point: 'HP-R02',
      what: 'the form names another licence number than the library',
      change: (i) => setField(i, 'licenseNumber', '京卫公证字〔2023〕第1101010013号'),
    },
    {
      point: 'HP-R02',
      what: "the library's e-licence identifier fails its check",
      change: (i) => patchLicense(i, { identifier: wrongIdentifierCheck((i.license as License).identifier) }),
    },
    {
      point: 'HP-R03',
      what: 'the new representative is not the registered one',
      change: (i) => patchEnterprise(i, { legalRepresentative: { name: '王建军', idNumber: '110101198001011236' } }),
    },
    {
      point: 'HP-R03',
      what: 'the new unit name is not the registered one',
      change: (i) => patchEnterprise(i, { name: '北京悦华酒店集团有限公司' }),
    },
    { point: 'HP-R03', what: 'the registration change is dated tomorrow', change: (i) => setField(i, 'registrationChangeDate', TOMORROW) },
    {
      point: 'HP-R04',
      what: 'the unit name is chosen but unchanged',
      change: (i) => setField(i, 'originalUnitName', '北京悦华酒店管理有限公司'),
    },
    {
      point: 'HP-R04',
      what: 'the representative is chosen but unchanged',
      change: (i) => setField(i, 'originalLegalRepresentative', '王建国'),
    },
    { point: 'HP-R04', what: 'no change item is chosen', change: (i) => setField(i, 'changeItems', []) },
    { point: 'HP-R05', what: 'the test report is missing (standard procedure)', actions: ['apply'], change: (i) => withhold(i, 'HP-05') },
    { point: 'HP-R05', what: 'the test report of the last year is missing', actions: ['renew'], change: (i) => withhold(i, 'HP-15') },
    { point: 'HP-R06', what: 'the air-conditioning report is missing', change: (i) => withhold(i, 'HP-07') },
    { point: 'HP-R07', what: 'two staff lack a health certificate', change: (i) => setField(i, 'certifiedStaffCount', 34) },
    { point: 'HP-R07', what: 'more certified staff than staff', change: (i) => setField(i, 'certifiedStaffCount', 40) },
    { point: 'HP-R07', what: 'the staff count is empty', change: (i) => setField(i, 'staffCount', null) },
    { point: 'HP-R08', what: 'the layout plan is missing', actions: ['apply'], change: (i) => withhold(i, 'HP-04'), also: ['HP-R13'] },
    {
      point: 'HP-R08',
      what: 'the adjusted layout plan is missing',
      actions: ['renew'],
      change: (i) => withhold(i, 'HP-16'),
      also: ['HP-R13'],
    },
    { point: 'HP-R09', what: 'the contact phone cannot be dialled', change: (i) => setField(i, 'contactPhone', '6400123') },
    { point: 'HP-R09', what: 'the contact name is empty', change: (i) => setField(i, 'contactName', '') },
    {
      point: 'HP-R09',
      what: 'the hygiene manager is empty',
      actions: ['apply', 'change', 'renew'],
      change: (i) => setField(i, 'hygieneManager', null),
    },
    { point: 'HP-R10', what: 'the stop date is tomorrow', change: (i) => setField(i, 'stopDate', TOMORROW) },
    { point: 'HP-R10', what: 'the stop date is not a date', change: (i) => setField(i, 'stopDate', '2026-11-31'), also: ['HP-R11'] },
    {
      point: 'HP-R11',
      what: 'the USCC check character is wrong',
      change: (i) => setField(i, 'uscc', wrongCheck(String(i.form.uscc.value))),
    },
    { point: 'HP-R11', what: 'a date is not a date', actions: ['change', 'renew'], change: (i) => setField(i, 'validUntil', '2027-02-30') },
    { point: 'HP-R11', what: 'the area is zero', actions: ['apply', 'renew'], change: (i) => setField(i, 'floorArea', 0) },
    {
      point: 'HP-R11',
      what: 'the area has three decimals',
      actions: ['apply', 'renew'],
      change: (i) => setField(i, 'floorArea', 2400.125),
    },
    {
      point: 'HP-R11',
      what: 'the area is two square kilometres',
      actions: ['apply', 'renew'],
      change: (i) => setField(i, 'floorArea', 2e6),
    },
    {
      point: 'HP-R11',
      what: 'the area read is not a number',
      actions: ['apply', 'renew'],
      change: (i) => setField(i, 'floorArea', '二千四百'),
    },
    { point: 'HP-R12', what: 'OCR read another value than the form', change: misread },
    {
      point: 'HP-R13',
      what: 'a required material is missing',
      change: (i) => withhold(i, { apply: 'HP-06', change: 'HP-13', renew: 'HP-08', cancel: 'HP-12' }[i.action]!),
    },
    { point: 'HP-R14', what: 'a material could not be read (or a scanned PDF without text)', change: unreadable() },
    { point: 'HP-R14', what: 'an identity material is an image with no text', change: unreadable(undefined, 'done') },
    { point: 'HP-R14', what: 'an identity material is still unread after submission', change: unreadable(undefined, 'pending') },
  ],
  'publication-licence-reissue': [
    { point: 'PUB-R01', what: 'the licence is revoked', change: (i) => patchLicense(i, { status: 'revoked' }) },
    { point: 'PUB-R01', what: 'the licence expired', change: (i) => patchLicense(i, { validUntil: '2026-05-31' }) },
    { point: 'PUB-R01', what: 'the licence is not in the library', change: (i) => (i.license = undefined) },
    {
      point: 'PUB-R01',
      what: 'the licence is held by another unit',
      change: (i) => patchLicense(i, { holderCode: wrongCheck(i.holderCode!) }),
    },
    {
      point: 'PUB-R01',
      what: 'the form names another licence number than the library',
      change: (i) => setField(i, 'licenseNumber', '新出发京零字第东230013号'),
      // The photo of the damaged licence shows the library's number.
      also: ['PUB-R08'],
    },
    {
      point: 'PUB-R01',
      what: "the library's e-licence identifier fails its check",
      change: (i) => patchLicense(i, { identifier: wrongIdentifierCheck((i.license as License).identifier) }),
    },
    { point: 'PUB-R02', what: 'the enterprise is cancelled', change: (i) => patchEnterprise(i, { status: 'cancelled' }) },
    { point: 'PUB-R02', what: 'the enterprise is not registered', change: (i) => (i.enterprise = undefined) },
    {
      point: 'PUB-R03',
      what: 'the representative changed in the registry',
      change: (i) => patchEnterprise(i, { legalRepresentative: { name: '吴刚', idNumber: '110101198503170626' } }),
    },
    { point: 'PUB-R03', what: 'the unit name differs from the registry', change: (i) => setField(i, 'unitName', '北京书香文化有限公司') },
    { point: 'PUB-R04', what: 'the statement is not accepted', change: (i) => setField(i, 'statementAccepted', false) },
    { point: 'PUB-R04', what: 'the statement is left empty', change: (i) => setField(i, 'statementAccepted', null) },
    { point: 'PUB-R05', what: 'the damaged licence photo cannot be read', change: unreadable('PUB-05') },
    { point: 'PUB-R06', what: 'the contact phone cannot be dialled', change: (i) => setField(i, 'contactPhone', '1370123456') },
    { point: 'PUB-R06', what: 'the contact phone is empty', change: (i) => setField(i, 'contactPhone', null) },
    {
      point: 'PUB-R07',
      what: 'the USCC check character is wrong',
      change: (i) => setField(i, 'uscc', wrongCheck(String(i.form.uscc.value))),
    },
    { point: 'PUB-R07', what: 'the loss date is not a date', change: (i) => setField(i, 'lossDate', '2026-11-31') },
    { point: 'PUB-R08', what: 'the photo shows another licence number', change: misread },
    { point: 'PUB-R09', what: 'the damaged licence photo is missing', change: (i) => withhold(i, 'PUB-05') },
    { point: 'PUB-R10', what: 'the business licence scan could not be read', change: unreadable('PUB-02') },
    { point: 'PUB-R10', what: 'the business licence is an image with no text', change: unreadable('PUB-02', 'done') },
  ],
  'dangerous-goods-staff-employer-change': [
    {
      point: 'DG-R01',
      what: 'the employer may not carry dangerous goods',
      change: (i) => patchEnterprise(i, { businessScope: '道路货物运输（不含危险货物）；国内货物运输代理' }),
    },
    { point: 'DG-R01', what: 'the employer is revoked', change: (i) => patchEnterprise(i, { status: 'revoked' }) },
    { point: 'DG-R01', what: 'the employer is not registered', change: (i) => (i.enterprise = undefined) },
    {
      point: 'DG-R01',
      what: 'the employer name differs from the registry',
      change: (i) => setField(i, 'employerName', '福州闽运物流有限公司'),
    },
    { point: 'DG-R02', what: 'the qualification expired', change: (i) => patchQualification(i, { validUntil: '2026-10-31' }) },
    { point: 'DG-R02', what: 'the qualification is revoked', change: (i) => patchQualification(i, { status: 'revoked' }) },
    { point: 'DG-R02', what: 'the employee holds no qualification', change: (i) => (i.secondParty!.license = undefined) },
    {
      point: 'DG-R02',
      what: 'the qualification is for ordinary freight',
      change: (i) => setField(i, 'qualificationCategory', '道路货物运输驾驶员'),
    },
    {
      point: 'DG-R02',
      what: "the library's e-licence identifier of the qualification fails its check",
      change: (i) => patchQualification(i, { identifier: wrongIdentifierCheck((i.secondParty!.license as License).identifier) }),
    },
    { point: 'DG-R02', what: 'an escort was chosen for a driver', change: (i) => (i.answers = { ...i.answers, staffCategory: 'escort' }) },
    {
      point: 'DG-R03',
      what: 'the name differs from the population registry',
      change: (i) => (i.secondParty!.person = staff({ name: '陈志刚' })),
    },
    { point: 'DG-R03', what: 'the ID number is not in the population registry', change: (i) => (i.secondParty!.person = undefined) },
    {
      point: 'DG-R03',
      what: 'the qualification belongs to someone else',
      change: (i) => patchQualification(i, { holderCode: '350102198805122368' }),
    },
    { point: 'DG-R04', what: 'the employee has not answered', change: (i) => (i.confirmed = null) },
    { point: 'DG-R04', what: 'the employee declined', change: (i) => (i.confirmed = false) },
    {
      point: 'DG-R05',
      what: 'the employee already works for the applicant',
      change: (i) => setField(i, 'previousEmployer', '福州闽运危险货物运输有限公司'),
    },
    { point: 'DG-R06', what: 'the staff mobile is a landline', change: (i) => setField(i, 'staffMobile', '0591-87654321') },
    { point: 'DG-R06', what: 'the staff mobile is empty', change: (i) => setField(i, 'staffMobile', null) },
    {
      point: 'DG-R07',
      what: 'the employer USCC check character is wrong',
      change: (i) => setField(i, 'employerUscc', wrongCheck(String(i.form.employerUscc.value))),
    },
    {
      point: 'DG-R07',
      what: 'the qualification number is not an ID number',
      change: (i) => setField(i, 'qualificationNumber', wrongCheck(String(i.form.qualificationNumber.value))),
    },
    { point: 'DG-R07', what: 'the employment start is not a date', change: (i) => setField(i, 'employmentStart', '2026-02-29') },
    { point: 'DG-R08', what: 'the ID card shows another name', change: misread },
    { point: 'DG-R09', what: 'the ID card is missing', change: (i) => withhold(i, 'DG-02') },
    { point: 'DG-R10', what: 'the ID card could not be read', change: unreadable() },
    { point: 'DG-R10', what: 'the ID card is an image with no text', change: unreadable(undefined, 'done') },
  ],
};

describe('review points (processes/*/review.dmn): a minimal mistake in a clean application gives exactly its finding', () => {
  for (const [slug, mistakes] of Object.entries(MISTAKES)) {
    const matter = matterOf(slug);
    it(`${matter.name}: every review point has a mistake below`, () => {
      expect([...new Set(mistakes.map((m) => m.point))].sort()).to.deep.equal(matter.reviewPoints.map((p) => p.id).sort());
    });
    for (const mistake of mistakes) {
      const point = matter.reviewPoints.find((p) => p.id === mistake.point)!;
      for (const action of mistake.actions ?? point.actions) {
        it(`${mistake.point} ${action}: ${mistake.what}`, async () => {
          const input = cleanInput(matter, action);
          mistake.change(input);
          const findings = await review(input);
          expect(points(findings)).to.deep.equal([mistake.point, ...(mistake.also ?? [])].sort(), JSON.stringify(findings));
          const finding = findings.find((f) => f.point === mistake.point)!;
          expect(finding.severity).to.equal(point.severity);
          expect(finding.message).to.be.a('string').and.match(CHINESE);
        });
      }
    }
  }
});
