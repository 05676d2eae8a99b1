import { PROVINCES } from '../../identifiers/region-code';
import { LICENSE_TYPES } from '../license-types';
import { addYears, type Day } from './dates';
import type { EnterpriseSeed, PersonPool } from './enterprises';
import type { Issuers } from './issuers';
import { termOf, type Fate, type LicenseRow, type LicenseWriter, type Term } from './licenses';
import { premisesAddress } from './names';
import type { PersonSeed } from './people';
import type { Random } from './prng';
import { placeName } from './regions';

/** Validity in years: hygiene permits 4 (公共场所卫生管理条例实施细则), publication licences 3, qualification certificates 6 (道路运输从业人员管理规定). */
export const VALIDITY_YEARS = { hygienePermit: 4, publicationLicense: 3, transportQualification: 6 } as const;

export interface Context {
  random: Random;
  today: Day;
  issuers: Issuers;
  writer: LicenseWriter;
  people: PersonPool;
  /** The last sequence number of each office's licence numbers. */
  numbers: Map<string, number>;
}

function nextNumber(context: Context, key: string): string {
  const n = (context.numbers.get(key) ?? 0) + 1;
  context.numbers.set(key, n);
  return String(n).padStart(4, '0');
}

/**
 * How the licence stands now, for a fate: a changed or revoked one is within its term, issued no earlier than
 * its holder could hold it; a holder too young for a whole term past cannot hold an expired one, so it stays valid.
 */
function settle(context: Context, years: number, fate: Fate, notBefore: Day, term?: Term): { term: Term; fate: Fate } {
  if (term) return { term, fate };
  const settled = fate === 'expired' && addYears(notBefore, years + 2) > context.today ? 'valid' : fate;
  return { term: termOf(context.random, context.today, years, settled !== 'expired', notBefore), fate: settled };
}

/** The business licence (营业执照), issued by the office that registered the enterprise, without end or for a term of years. */
export function businessLicense(context: Context, e: EnterpriseSeed, fate: Fate): LicenseRow {
  const { random } = context;
  const row = e.row;
  const registered = row.uscc.slice(2, 8);
  const term = addYears(row.established_on, random.pick([20, 30]));
  const until = random.chance(0.2) && term > addYears(context.today, 1) ? term : null;
  const revocation = row.status === 'revoked' ? '吊销' : row.status === 'cancelled' ? '注销' : undefined;
  return context.writer.write({
    type: LICENSE_TYPES.businessLicense,
    issuer: context.issuers.at('market', registered),
    holderName: row.name,
    holderCode: row.uscc,
    number: row.uscc,
    term: { issueDate: row.established_on, validFrom: row.established_on, validUntil: until },
    fate: revocation ? 'revoked' : fate,
    revocationReason: revocation && `企业${revocation}`,
    data: {
      enterpriseType: row.type,
      legalRepresentative: row.legal_representative_name,
      registeredCapital: `${row.registered_capital}万元人民币`,
      establishedOn: row.established_on,
      businessTerm: until ? `${row.established_on}至${until}` : '长期',
      address: row.address,
      businessScope: row.business_scope,
    },
    before: { address: placeName(e.district) + premisesAddress(random) },
  });
}

const PREMISES: Record<string, { category: string; area: [number, number] }> = {
  饭馆: { category: '住宿与交际场所', area: [80, 600] },
  咖啡馆: { category: '住宿与交际场所', area: [60, 300] },
  茶座: { category: '住宿与交际场所', area: [60, 300] },
  酒吧: { category: '住宿与交际场所', area: [80, 400] },
  宾馆: { category: '住宿与交际场所', area: [800, 8000] },
  旅店: { category: '住宿与交际场所', area: [200, 1500] },
  理发店: { category: '洗浴与美容美发场所', area: [30, 200] },
  美容店: { category: '洗浴与美容美发场所', area: [40, 300] },
  公共浴室: { category: '洗浴与美容美发场所', area: [300, 2000] },
  '游泳场（馆）': { category: '体育与游乐场所', area: [800, 3000] },
  歌舞厅: { category: '文化娱乐场所', area: [200, 1200] },
  游艺厅: { category: '文化娱乐场所', area: [150, 800] },
  '商场（店）': { category: '购物场所', area: [2000, 30000] },
};

export interface PremisesChoice {
  premisesType?: string;
  premisesName?: string;
  term?: Term;
  /** The representative the permit names, when it predates a change at the registry (the case a change fixes). */
  legalRepresentative?: string;
}

/** The public-place hygiene permit (公共场所卫生许可证) of one premises, issued by the district's health commission. */
export function hygienePermit(context: Context, e: EnterpriseSeed, fate: Fate, choice: PremisesChoice = {}): LicenseRow {
  const { random } = context;
  const premisesType = choice.premisesType ?? random.pick(e.industry.hygiene?.premises ?? ['饭馆']);
  const premises = PREMISES[premisesType];
  const issuer = context.issuers.at('health', e.district.code);
  const { term, fate: settled } = settle(context, VALIDITY_YEARS.hygienePermit, fate, e.row.established_on, choice.term);
  const short = PROVINCES[e.district.code.slice(0, 2)].short;
  return context.writer.write({
    type: LICENSE_TYPES.hygienePermit,
    issuer,
    holderName: e.row.name,
    holderCode: e.row.uscc,
    number: `${short}卫公证字〔${term.validFrom.slice(0, 4)}〕第${e.district.code}${nextNumber(context, `hygiene${e.district.code}`)}号`,
    term,
    fate: settled,
    data: {
      legalRepresentative: choice.legalRepresentative ?? e.row.legal_representative_name,
      premisesName: choice.premisesName ?? `${e.brand}${premisesType}`,
      premisesType,
      category: premises.category,
      address: e.row.address,
      area: random.int(premises.area[0], premises.area[1]),
    },
    before: { legalRepresentative: random.pick(context.people.all).row.name },
  });
}

/** The publication business licence (出版物经营许可证) for retail, issued by the district's culture and tourism bureau. */
export function publicationLicense(context: Context, e: EnterpriseSeed, fate: Fate, term?: Term): LicenseRow {
  const { random } = context;
  const { term: current, fate: settled } = settle(context, VALIDITY_YEARS.publicationLicense, fate, e.row.established_on, term);
  const short = PROVINCES[e.district.code.slice(0, 2)].short;
  const districtMark = e.district.name.slice(0, 1);
  return context.writer.write({
    type: LICENSE_TYPES.publicationLicense,
    issuer: context.issuers.at('culture', e.district.code),
    holderName: e.row.name,
    holderCode: e.row.uscc,
    number: `新出发${short}零字第${districtMark}${current.validFrom.slice(2, 4)}${nextNumber(context, `publication${e.district.code}`)}号`,
    term: current,
    fate: settled,
    data: {
      legalRepresentative: e.row.legal_representative_name,
      businessAddress: e.row.address,
      scope: '图书、报纸、期刊、电子出版物、音像制品零售',
      mode: '零售',
      area: random.int(40, 1200),
      registeredCapital: `${e.row.registered_capital}万元人民币`,
    },
    before: {},
  });
}

/** The road transport qualification certificate (从业资格证), numbered by the holder's ID number, issued in the employer's city. */
export function transportQualification(
  context: Context,
  person: PersonSeed,
  employer: EnterpriseSeed,
  fate: Fate,
  choice: { category?: string; previousEmployer?: EnterpriseSeed; term?: Term } = {},
): LicenseRow {
  const { random } = context;
  const adult = addYears(person.row.birth_date, 21);
  const { term, fate: settled } = settle(context, VALIDITY_YEARS.transportQualification, fate, adult, choice.term);
  const category = choice.category ?? random.weighted(employer.industry.transport?.categories ?? [['道路货物运输驾驶员', 1]]);
  const employedBy = (e: EnterpriseSeed) => ({ employerUscc: e.row.uscc, employerName: e.row.name });
  return context.writer.write({
    type: LICENSE_TYPES.transportQualification,
    issuer: context.issuers.at('transport', employer.district.code),
    holderName: person.row.name,
    holderCode: person.row.id_number,
    number: person.row.id_number,
    term,
    fate: settled,
    data: {
      sex: person.row.sex,
      birthDate: person.row.birth_date,
      nationality: '中国',
      address: person.row.address,
      category,
      ...(category.endsWith('驾驶员') ? { vehicleClass: random.pick(['A2', 'B2', 'A2', 'A1']) } : {}),
      firstIssuedOn: term.validFrom,
      ...employedBy(employer),
    },
    before: choice.previousEmployer ? employedBy(choice.previousEmployer) : {},
    revocationReason: '从业人员申请注销',
  });
}
