import { makeUscc } from './codes';
import { addDays, daysBetween, type Day } from './dates';
import { INDUSTRIES, SCOPE_TAIL, type Industry } from './industries';
import { brandName, landline, mobilePhone, premisesAddress } from './names';
import { ageOn, type PersonSeed } from './people';
import type { Random } from './prng';
import { DISTRICTS, isMunicipality, placeName, type District } from './regions';

/** An `enterprises` row. */
export interface EnterpriseRow {
  uscc: string;
  name: string;
  type: string;
  legal_representative_name: string;
  legal_representative_id_number: string;
  address: string;
  established_on: Day;
  registered_capital: number;
  status: 'active' | 'revoked' | 'cancelled';
  business_scope: string;
  phone: string | null;
}

export interface EnterpriseSeed {
  row: EnterpriseRow;
  district: District;
  industry: Industry;
  brand: string;
}

const COMPANY_TYPES: [string, number][] = [
  ['有限责任公司（自然人投资或控股）', 55],
  ['有限责任公司（自然人独资）', 25],
  ['有限责任公司（法人独资）', 8],
  ['股份有限公司（非上市、自然人投资或控股）', 5],
  ['有限责任公司（港澳台法人独资）', 2],
  ['有限责任公司（国有独资）', 2],
];

/** 万元 */
const CAPITALS: [number, number][] = [
  [10, 8],
  [30, 8],
  [50, 14],
  [100, 22],
  [200, 14],
  [300, 10],
  [500, 12],
  [1000, 7],
  [2000, 3],
  [5000, 2],
];

const EARLIEST_ESTABLISHED: Day = '1998-01-01';
/** Codes given from the reform on carry new-style organisation codes. */
const REFORM: Day = '2015-10-01';

/** The office that registered it: mostly the district's, some the city's or the province's (a municipality has no city level). */
function registrationRegion(random: Random, district: District): string {
  const r = random.next();
  if (isMunicipality(district.code)) return r < 0.8 ? district.code : `${district.code.slice(0, 2)}0000`;
  return r < 0.75 ? district.code : r < 0.95 ? district.city.code : `${district.code.slice(0, 2)}0000`;
}

/** People by province, to find a legal representative who lives near the enterprise. */
export class PersonPool {
  private readonly byProvince = new Map<string, PersonSeed[]>();
  constructor(readonly all: PersonSeed[]) {
    for (const p of all) {
      const key = p.district.code.slice(0, 2);
      const list = this.byProvince.get(key) ?? [];
      list.push(p);
      this.byProvince.set(key, list);
    }
  }
  /** Someone aged 25 to 65 on that day, from the province when it has one. */
  adultOn(random: Random, day: Day, provinceCode: string): PersonSeed {
    const fits = (p: PersonSeed) => {
      const age = ageOn(p.row.birth_date, day);
      return age >= 25 && age <= 65;
    };
    const local = (this.byProvince.get(provinceCode) ?? []).filter(fits);
    return random.pick(local.length ? local : this.all.filter(fits));
  }
}

export interface EnterpriseChoices {
  district?: District;
  industry?: Industry;
  uscc?: string;
  name?: string;
  brand?: string;
  establishedOn?: Day;
  address?: string;
  status?: EnterpriseRow['status'];
  businessScope?: string;
}

export function enterpriseAt(
  random: Random,
  anchor: Day,
  people: PersonPool,
  taken: { codes: Set<string>; names: Set<string> },
  choices: EnterpriseChoices = {},
): EnterpriseSeed {
  const district = choices.district ?? random.pick(DISTRICTS);
  const industry = choices.industry ?? random.weighted(INDUSTRIES.map((i) => [i, i.weight] as const));
  const type = random.weighted(COMPANY_TYPES);
  const establishedOn =
    choices.establishedOn ?? addDays(EARLIEST_ESTABLISHED, random.int(0, daysBetween(EARLIEST_ESTABLISHED, anchor) - 60));
  let brand = choices.brand ?? brandName(random);
  const suffix = type.startsWith('股份') ? '股份有限公司' : '有限公司';
  let name = choices.name ?? `${district.city.short}${brand}${industry.label}${suffix}`;
  while (taken.names.has(name)) {
    brand = brandName(random);
    name = `${district.city.short}${brand}${industry.label}${suffix}`;
  }
  taken.names.add(name);
  const region = registrationRegion(random, district);
  const uscc = choices.uscc ?? makeUscc(random, '91', region, establishedOn >= REFORM ? 'MA' : 'digits', taken.codes);
  taken.codes.add(uscc);
  const representative = people.adultOn(random, establishedOn, district.code.slice(0, 2));
  const status =
    choices.status ??
    random.weighted<EnterpriseRow['status']>([
      ['active', 90],
      ['revoked', 5],
      ['cancelled', 5],
    ]);
  const row: EnterpriseRow = {
    uscc,
    name,
    type,
    legal_representative_name: representative.row.name,
    legal_representative_id_number: representative.row.id_number,
    address: choices.address ?? placeName(district) + premisesAddress(random),
    established_on: establishedOn,
    registered_capital: random.weighted(CAPITALS),
    status,
    business_scope: (choices.businessScope ?? industry.scope) + SCOPE_TAIL,
    phone: random.chance(0.7) ? landline(random, district.city.areaCode) : mobilePhone(random),
  };
  return { row, district, industry, brand };
}
