import type { Knex } from 'knex';
import { licenseIdentifier, PROVINCES, uscc } from '../identifiers';
import { dateOfDay, dayNumber, type LocalDate } from '../calendar/local-date';
import type { ApplicationRow } from '../applications/store';
import type { Matter, MatterAction } from '../matters/schema';
import { newLicenseId } from '../registries/seed';
import type { License } from '../registries';

/** A licence about to be issued: the record `license-publish` writes, and what supersedes what. */
export type LicenseToIssue = Omit<License, 'createdAt' | 'documentSha256'> & { supersedes: string | null };

const addYearsMinusDay = (from: LocalDate, years: number): LocalDate => {
  const [y, m, d] = from.split('-').map(Number);
  const date = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February plus whole years lands on 1 March: the term still ends the day before.
  return dateOfDay(Math.floor(date.getTime() / 86_400_000) - 1);
};

/** The form's value of a field as the licence prints it: an option's label, a number as written. */
function printed(spec: MatterAction, key: string, value: unknown): unknown {
  const field = spec.fields.find((f) => f.key === key);
  if (field?.options && typeof value === 'string') return field.options.find((o) => o.value === value)?.label ?? value;
  if (field?.options && Array.isArray(value)) return value.map((v) => field.options!.find((o) => o.value === v)?.label ?? v).join('、');
  return value;
}

/**
 * The licence an approval issues (matter.json `issues`): a new one numbered from the issuing department's sequence,
 * or a new version of the held one (same serial, version + 1, related to the old identifier) with the form's changes
 * or a new term. Undefined for a revocation, which issues none.
 */
export async function licenseToIssue(
  knex: Knex,
  input: { row: ApplicationRow; matter: Matter; spec: MatterAction; held: License | undefined; today: LocalDate },
): Promise<LicenseToIssue | undefined> {
  const { row, matter, spec, held, today } = input;
  const issues = spec.issues;
  if (!issues || issues.operation === 'revoke') return undefined;
  const form = Object.fromEntries(Object.entries(row.form).map(([k, e]) => [k, e?.value ?? null]));
  const mapped = Object.fromEntries(
    Object.entries(issues.data)
      .filter(([, key]) => form[key] !== null && form[key] !== undefined)
      .map(([dataKey, key]) => [dataKey, printed(spec, key, form[key])]),
  );
  const type = matter.licenseTypes.find((t) => t.code === issues.licenseType)!;

  if (issues.operation === 'issue') {
    const department = matter.department;
    const territory = department.code.slice(2, 8);
    const serialNumber = Number((await knex.raw(`select nextval('license_serial_seq') as n`)).rows?.[0]?.n ?? 0);
    const year = today.slice(0, 4);
    const serial = `${year}${territory}${String(serialNumber).padStart(6, '0')}`;
    const holderCode = String(form.uscc ?? '');
    const short = PROVINCES[territory.slice(0, 2)]?.short ?? '';
    return {
      id: newLicenseId(),
      identifier: licenseIdentifier.build({ typeCode: type.code, issuerCode: department.code, serial, version: 1 }),
      typeCode: type.code,
      typeName: type.name,
      number: `${short}卫公证字〔${year}〕第${territory}${String(serialNumber).padStart(4, '0')}号`,
      issuerName: department.name,
      issuerCode: department.code,
      issueDate: today,
      validFrom: today,
      validUntil: addYearsMinusDay(today, issues.validYears!),
      holderName: String(form.unitName ?? ''),
      holderCode,
      holderType: uscc.validate(holderCode).valid ? '001' : '111',
      territoryCode: territory,
      relatedIdentifier: null,
      version: 1,
      status: 'valid',
      data: mapped,
      supersedes: null,
    };
  }

  if (!held) throw new Error(`application ${row.id}: ${issues.operation} of a licence, but the held licence is not in the library`);
  const parts = licenseIdentifier.parse(held.identifier);
  if (!parts) throw new Error(`licence ${held.id} has an identifier that does not parse: ${held.identifier}`);
  const version = held.version + 1;
  let validFrom = held.validFrom;
  let validUntil = held.validUntil;
  if (issues.operation === 'extend') {
    const afterOld = held.validUntil ? dateOfDay(dayNumber(held.validUntil) + 1) : today;
    validFrom = afterOld > today ? afterOld : today;
    validUntil = addYearsMinusDay(validFrom, issues.validYears!);
  }
  const renamed = issues.holder === 'applicant' && typeof form.unitName === 'string' && form.unitName ? form.unitName : held.holderName;
  return {
    ...held,
    id: newLicenseId(),
    identifier: licenseIdentifier.build({ ...parts, version }),
    issueDate: today,
    validFrom,
    validUntil,
    holderName: renamed,
    relatedIdentifier: held.identifier,
    version,
    status: 'valid',
    data: { ...held.data, ...mapped },
    supersedes: held.id,
  };
}
