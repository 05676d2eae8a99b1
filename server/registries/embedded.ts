import type { Knex } from 'knex';
import type { EnterpriseRegistry, LicenseLibrary, PersonRegistry } from './ports';
import type { Enterprise, License, Person } from './records';

/** Dates as text: a `date` read into a JS Date shifts by the server's time zone. */
const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD') as ${column}`;

const PERSON_COLUMNS = ['id_number', 'name', 'sex', 'ethnicity', day('birth_date'), 'address', 'phone', 'employer_uscc'];

const ENTERPRISE_COLUMNS = [
  'uscc',
  'name',
  'type',
  'legal_representative_name',
  'legal_representative_id_number',
  'address',
  day('established_on'),
  'registered_capital::float8 as registered_capital',
  'status',
  'business_scope',
  'phone',
];

const LICENSE_COLUMNS = [
  'id',
  'identifier',
  'type_code',
  'type_name',
  'number',
  'issuer_name',
  'issuer_code',
  day('issue_date'),
  day('valid_from'),
  day('valid_until'),
  'holder_name',
  'holder_code',
  'holder_type',
  'territory_code',
  'related_identifier',
  'version',
  'status',
  'data',
  'document_sha256',
  'created_at',
];

type Row = Record<string, any>;

const toPerson = (r: Row): Person => ({
  idNumber: r.id_number,
  name: r.name,
  sex: r.sex,
  ethnicity: r.ethnicity,
  birthDate: r.birth_date,
  address: r.address,
  phone: r.phone,
  employerUscc: r.employer_uscc,
});

const toEnterprise = (r: Row): Enterprise => ({
  uscc: r.uscc,
  name: r.name,
  type: r.type,
  legalRepresentative: { name: r.legal_representative_name, idNumber: r.legal_representative_id_number },
  address: r.address,
  establishedOn: r.established_on,
  registeredCapital: Number(r.registered_capital),
  status: r.status,
  businessScope: r.business_scope,
  phone: r.phone,
});

const toLicense = (r: Row): License => ({
  id: r.id,
  identifier: r.identifier,
  typeCode: r.type_code,
  typeName: r.type_name,
  number: r.number,
  issuerName: r.issuer_name,
  issuerCode: r.issuer_code,
  issueDate: r.issue_date,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  holderName: r.holder_name,
  holderCode: r.holder_code,
  holderType: r.holder_type,
  territoryCode: r.territory_code,
  relatedIdentifier: r.related_identifier,
  version: r.version,
  status: r.status,
  data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data,
  documentSha256: r.document_sha256,
  createdAt: new Date(r.created_at).toISOString(),
});

/** The registries on this platform's own tables (the seeded sample, or a copy loaded from the real registries). */
export class EmbeddedPersonRegistry implements PersonRegistry {
  constructor(private readonly knex: Knex) {}

  async find(idNumber: string): Promise<Person | undefined> {
    const row = await this.knex('persons')
      .select(this.knex.raw(PERSON_COLUMNS.join(', ')))
      .where({ id_number: idNumber })
      .first();
    return row && toPerson(row);
  }
}

export class EmbeddedEnterpriseRegistry implements EnterpriseRegistry {
  constructor(private readonly knex: Knex) {}

  async find(uscc: string): Promise<Enterprise | undefined> {
    const row = await this.knex('enterprises')
      .select(this.knex.raw(ENTERPRISE_COLUMNS.join(', ')))
      .where({ uscc })
      .first();
    return row && toEnterprise(row);
  }
}

export class EmbeddedLicenseLibrary implements LicenseLibrary {
  constructor(private readonly knex: Knex) {}

  private select() {
    return this.knex('licenses').select(this.knex.raw(LICENSE_COLUMNS.join(', ')));
  }

  async find(id: string): Promise<License | undefined> {
    const row = await this.select().where({ id }).first();
    return row && toLicense(row);
  }

  async byHolder(holderCode: string, typeCode?: string): Promise<License[]> {
    const query = this.select().where({ holder_code: holderCode });
    if (typeCode !== undefined) query.andWhere({ type_code: typeCode });
    const rows = await query.orderBy([
      { column: 'issue_date', order: 'desc' },
      { column: 'version', order: 'desc' },
      { column: 'identifier', order: 'asc' },
    ]);
    return rows.map(toLicense);
  }

  async byIdentifier(identifier: string): Promise<License | undefined> {
    const row = await this.select().where({ identifier }).first();
    return row && toLicense(row);
  }
}
