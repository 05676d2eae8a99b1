import type { Knex } from 'knex';
import { shanghaiDate } from '../calendar/local-date';
import type { ApplicationRow, MaterialRow } from '../applications/store';
import { specOf } from '../applications/store';
import type { MatterCatalog } from '../matters/catalog';
import type { MatterAction } from '../matters/schema';
import { RegistryUnavailable, type License, type Registries } from '../registries';
import type { HandedInMaterial, Lookup, ReadField, ReviewInput } from '../../workers/review/facts';

/** Asks a registry; its failing to answer becomes 'unavailable' (a fact the rules refuse to pass on), not an error. */
async function lookup<T>(ask: () => Promise<T | undefined>): Promise<Lookup<T>> {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof RegistryUnavailable) return 'unavailable';
    throw error;
  }
}

const preferValid = (licenses: License[]) => licenses.find((l) => l.status === 'valid') ?? licenses[0];

/**
 * The second party's licence the form names by its number (the qualification certificate): the review compares it with
 * the person the form names, so a number of someone else's certificate is found as theirs. A road transport
 * qualification certificate is numbered by its holder's ID number, so the certificate of a number is its holder's
 * with that number. Without a number, the person's own licence of the type.
 */
async function secondPartyLicense(
  registries: Registries,
  spec: MatterAction,
  form: ApplicationRow['form'],
  personCode: unknown,
  licenseType: string,
): Promise<License | undefined> {
  const numberKey = spec.fields.find(
    (f) => f.prefill.from === 'license' && f.prefill.field === 'number' && f.prefill.holder === 'second-party',
  )?.key;
  const stated = numberKey ? form[numberKey]?.value : undefined;
  if (typeof stated === 'string' && stated.trim()) {
    const number = stated.trim().toUpperCase();
    const own = typeof personCode === 'string' ? await registries.licenses.byHolder(personCode, licenseType) : [];
    const named = own.filter((l) => l.number.toUpperCase() === number);
    if (named.length) return preferValid(named);
    return preferValid((await registries.licenses.byHolder(number, licenseType)).filter((l) => l.number.toUpperCase() === number));
  }
  return typeof personCode === 'string' ? preferValid(await registries.licenses.byHolder(personCode, licenseType)) : undefined;
}

/** What the review of one application reads: its form and materials with their OCR, the registries, the licences. */
export async function loadReviewInput(
  deps: { knex: Knex; matters: MatterCatalog; registries: Registries },
  row: ApplicationRow,
  now: Date,
): Promise<ReviewInput> {
  const { matter, spec } = specOf(deps.matters, row);
  const materials: MaterialRow[] = await deps.knex('application_materials').where({ application_id: row.id }).whereNull('replaced_at');
  const applicant = await deps.knex('users').where({ id: row.applicant_id }).first('kind', 'uscc', 'id_number');
  const holderCode: string | null = applicant?.uscc ?? applicant?.id_number ?? null;
  const enterprise = applicant?.uscc ? await lookup(() => deps.registries.enterprises.find(applicant.uscc)) : undefined;
  const license: Lookup<License> = spec.requiredLicense
    ? row.license_id
      ? await lookup(() => deps.registries.licenses.find(row.license_id!))
      : undefined
    : undefined;

  let secondParty: ReviewInput['secondParty'] = null;
  let confirmed: boolean | null = null;
  if (spec.secondParty) {
    const code = row.form[spec.secondParty.idField]?.value;
    const typeCode = spec.fields.find((f) => f.prefill.from === 'license' && f.prefill.holder === 'second-party')?.prefill;
    const licenseType = typeCode && typeCode.from === 'license' ? typeCode.licenseType : undefined;
    secondParty = {
      person: typeof code === 'string' ? await lookup(() => deps.registries.persons.find(code)) : undefined,
      license: licenseType ? await lookup(() => secondPartyLicense(deps.registries, spec, row.form, code, licenseType)) : undefined,
    };
    const confirmation = await deps.knex('confirmations').where({ application_id: row.id }).first('status');
    confirmed = confirmation?.status === 'accepted' ? true : confirmation?.status === 'declined' ? false : null;
  }

  const handedIn: HandedInMaterial[] = materials.map((m) => ({
    code: m.material_code,
    ocrStatus: m.ocr_status,
    fields: ((m.ocr as { fields?: Record<string, ReadField> } | null)?.fields ?? {}) as Record<string, ReadField>,
  }));
  return {
    matter,
    action: row.action,
    situation: row.situation,
    answers: row.answers,
    form: row.form,
    materialList: row.material_list,
    handedIn,
    holderCode,
    enterprise,
    license,
    secondParty,
    confirmed,
    draft: row.status === 'draft',
    today: shanghaiDate(now),
  };
}
