import { chinaDay, type Day } from './dates';
import { demoEnterprises, demoLicenses, demoPersons } from './demo';
import { enterpriseAt, PersonPool, type EnterpriseRow, type EnterpriseSeed } from './enterprises';
import { businessLicense, hygienePermit, publicationLicense, transportQualification, type Context } from './license-kinds';
import { FATES, LicenseWriter, type Fate, type LicenseRow } from './licenses';
import { ageOn, generatePersons, type PersonRow, type PersonSeed } from './people';
import { Random } from './prng';
import { Issuers } from './issuers';

export const PERSON_COUNT = 2000;
export const ENTERPRISE_COUNT = 500;
export const DEFAULT_SEED = 'approvals-registries-1';
/** Births and foundings are reckoned from this day, so the same seed gives the same people whenever it runs. */
const ANCHOR: Day = '2026-11-01';

export interface GeneratedRegistries {
  persons: PersonRow[];
  enterprises: EnterpriseRow[];
  licenses: LicenseRow[];
}

/** Adults under 60 mostly work, for an active enterprise of their province more often than not, many for the transport firms. */
function employ(random: Random, people: PersonSeed[], enterprises: EnterpriseSeed[], today: Day): void {
  const active = enterprises.filter((e) => e.row.status === 'active');
  const choices = new Map<string, (readonly [EnterpriseSeed, number])[]>();
  for (const person of people) {
    if (person.row.employer_uscc !== null) continue;
    const age = ageOn(person.row.birth_date, today);
    if (age < 18 || age > 60 || !random.chance(0.65)) continue;
    const province = person.district.code.slice(0, 2);
    let weighted = choices.get(province);
    if (!weighted) {
      weighted = active.map((e) => [e, e.industry.staffWeight * (e.district.code.startsWith(province) ? 6 : 1)] as const);
      choices.set(province, weighted);
    }
    person.row.employer_uscc = random.weighted(weighted).row.uscc;
  }
}

/** The licences of the generated holders; a holder no longer active keeps only revoked or expired ones. */
function issueLicenses(context: Context, enterprises: EnterpriseSeed[], people: PersonSeed[]): void {
  const { random, today } = context;
  const fate = (e: EnterpriseSeed): Fate =>
    e.row.status === 'active' ? random.weighted(FATES) : random.chance(0.5) ? 'revoked' : 'expired';
  for (const e of enterprises) {
    businessLicense(context, e, random.chance(0.08) ? 'changed' : 'valid');
    if (e.industry.hygiene && random.chance(e.industry.hygiene.share)) hygienePermit(context, e, fate(e));
    if (e.industry.publication && random.chance(e.industry.publication)) publicationLicense(context, e, fate(e));
  }
  const byCode = new Map(enterprises.map((e) => [e.row.uscc, e]));
  const transporters = enterprises.filter((e) => e.industry.transport);
  for (const person of people) {
    const employer = person.row.employer_uscc ? byCode.get(person.row.employer_uscc) : undefined;
    if (!employer?.industry.transport || ageOn(person.row.birth_date, today) < 22) continue;
    if (!random.chance(employer.industry.transport.share)) continue;
    const personFate = random.weighted(FATES);
    const others = transporters.filter((t) => t !== employer);
    const previousEmployer = others.length ? random.pick(others) : undefined;
    transportQualification(context, person, employer, personFate, { previousEmployer });
  }
}

/** The whole sample, deterministic for a seed and a day (the day decides which licences are still valid). */
export function generateRegistries(options: { today?: Date; seed?: string } = {}): GeneratedRegistries {
  const today = chinaDay(options.today ?? new Date());
  const anchor = today < ANCHOR ? today : ANCHOR;
  const random = new Random(options.seed ?? DEFAULT_SEED);
  const takenIds = new Set<string>();
  const taken = { codes: new Set<string>(), names: new Set<string>() };

  const demoPeople = demoPersons();
  for (const p of demoPeople) takenIds.add(p.row.id_number);
  const others = generatePersons(random, PERSON_COUNT - demoPeople.length, anchor, takenIds);
  const pool = new PersonPool(others);

  const demoFirms = demoEnterprises(random, anchor, pool, taken);
  const firms = [...demoFirms];
  while (firms.length < ENTERPRISE_COUNT) firms.push(enterpriseAt(random, anchor, pool, taken));

  employ(random, others, firms, today);

  const context: Context = {
    random,
    today,
    issuers: new Issuers(random, taken.codes),
    writer: new LicenseWriter(random, today),
    people: pool,
    numbers: new Map(),
  };
  demoLicenses(context, demoFirms, demoPeople);
  issueLicenses(context, firms.slice(demoFirms.length), others);
  return {
    persons: [...demoPeople, ...others].map((p) => p.row),
    enterprises: firms.map((e) => e.row),
    licenses: context.writer.rows,
  };
}
