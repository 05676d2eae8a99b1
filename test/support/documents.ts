import { renderIssuedLicence } from '../fixtures/ocr/render/issued-licence';
import { readFile } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { chineseDate, FONT_FILES } from '../fixtures/ocr/render/canvas';
import { renderIdCard } from '../fixtures/ocr/render/id-card';
import { Random } from '../../server/registries/seed/prng';
import type { EnterpriseRow } from '../../server/registries/seed/enterprises';
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

const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : d === null ? null : String(d).slice(0, 10));
const licenceRow = (row: any) => ({
  ...row,
  issue_date: day(row.issue_date),
  valid_from: day(row.valid_from),
  valid_until: day(row.valid_until),
});

/** A photo of one of our licences (its paper print), as the OCR corpus draws it, JPEG. */
export async function licencePhoto(knex: import('knex').Knex, licenseId: string): Promise<Buffer> {
  const row = await knex('licenses').where({ id: licenseId }).first();
  if (!row) throw new Error(`no licence ${licenseId}`);
  const canvas = renderIssuedLicence(licenceRow(row), new Random(`test-licence/${licenseId}`));
  return Buffer.from(await canvas.encode('jpeg', 92));
}

/**
 * An enterprise's business licence as an e-licence PDF (text layer, read without OCR), as the registry has it with
 * `changes` printed instead (another name…).
 */
export async function businessLicencePdf(knex: import('knex').Knex, uscc: string, changes: Partial<EnterpriseRow> = {}): Promise<Buffer> {
  const row = await knex('enterprises').where({ uscc }).first();
  if (!row) throw new Error(`no enterprise ${uscc}`);
  const enterprise: EnterpriseRow = { ...row, established_on: day(row.established_on), ...changes };
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(await readFile(FONT_FILES.regular), { subset: true });
  const sheet = pdf.addPage([842, 595]);
  sheet.drawText('营业执照', { x: 350, y: 520, size: 32, font: regular, color: rgb(0.7, 0.13, 0.13) });
  const lines = [
    `统一社会信用代码：${enterprise.uscc}`,
    `名称：${enterprise.name}`,
    `类型：${enterprise.type}`,
    `法定代表人：${enterprise.legal_representative_name}`,
    `住所：${enterprise.address}`,
    `成立日期：${chineseDate(enterprise.established_on)}`,
  ];
  lines.forEach((line, i) => sheet.drawText(line, { x: 80, y: 440 - i * 36, size: 16, font: regular }));
  return Buffer.from(await pdf.save());
}

/** A one-page PDF of a material no OCR reads (a plan, a set of rules, a report): its title in a text layer. */
export async function documentPdf(title: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(await readFile(FONT_FILES.regular), { subset: true });
  pdf.addPage([595, 842]).drawText(title, { x: 60, y: 760, size: 20, font: regular });
  return Buffer.from(await pdf.save());
}
