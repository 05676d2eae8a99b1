import type { Knex } from 'knex';
import { personRow } from './documents';
import type { PersonRow } from '../../server/registries/seed/people';

/** The fields a hygiene-permit change (new legal representative) leaves for enterprise1 to type, with plausible values. */
export const HYGIENE_CHANGE_FORM = {
  changeReason: '原法定代表人调任，经股东会决议更换法定代表人',
  registrationChangeDate: '2026-11-02',
  hygieneManager: '陈晓东',
  hygieneManagerPhone: '13912345678',
  staffCount: 12,
  certifiedStaffCount: 12,
  contactName: '陈晓东',
  contactPhone: '13912345678',
  commitmentAccepted: true,
} as const;

/** enterprise1's legal representative as the business registry has them now (the change's new representative). */
export async function enterpriseRepresentative(knex: Knex, uscc = '91110000600037341L'): Promise<PersonRow> {
  const enterprise = await knex('enterprises').where({ uscc }).first('legal_representative_id_number');
  return personRow(knex, enterprise.legal_representative_id_number);
}
