import { renderIssuedLicence } from '../fixtures/ocr/render/issued-licence';
import { renderIdCard } from '../fixtures/ocr/render/id-card';
import { Random } from '../../server/registries/seed/prng';
import type { PersonRow } from '../../server/registries/seed/people';

/** A clean photo of a person's resident ID card (front), as the OCR corpus draws it, JPEG. */
export async function idCardPhoto(person: PersonRow, seed = 'test-id-card'): Promise<Buffer> {
  const canvas = renderIdCard(person, new Random(`${seed}/${person.id_number}`));
  return Buffer.from(await canvas.encode('jpeg', 92));
}

/** The person row of the registry, as the renderer takes it. */
export async function personRow(knex: import('knex').Knex, idNumber: string): Promise<PersonRow> {
  const row = await knex('persons').where({ id_number: idNumber }).first();
  if (!row) throw new Error(`no person ${idNumber} in the registry`);
  const birth = row.birth_date instanceof Date ? row.birth_date.toISOString().slice(0, 10) : String(row.birth_date).slice(0, 10);
  return { ...row, birth_date: birth };
}

/** A photo of one of our licences (its paper print), as the OCR corpus draws it, JPEG. */
export async function licencePhoto(knex: import('knex').Knex, licenseId: string): Promise<Buffer> {
  const row = await knex('licenses').where({ id: licenseId }).first();
  if (!row) throw new Error(`no licence ${licenseId}`);
  const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d === null ? null : String(d).slice(0, 10));
  const licence = { ...row, issue_date: day(row.issue_date), valid_from: day(row.valid_from), valid_until: day(row.valid_until) };
  const canvas = renderIssuedLicence(licence, new Random(`test-licence/${licenseId}`));
  return Buffer.from(await canvas.encode('jpeg', 92));
}
