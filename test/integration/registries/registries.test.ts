import { expect } from 'chai';
import type { Knex } from 'knex';
import { DEMO_USERS } from '../../../server/auth/demo-users';
import { licenseIdentifier, residentId, uscc } from '../../../server/identifiers';
import { createRegistries, LICENSE_TYPES, type Registries } from '../../../server/registries';
import { EmbeddedLicenseLibrary, EmbeddedPersonRegistry } from '../../../server/registries/embedded';
import { HttpEnterpriseRegistry, HttpLicenseLibrary, HttpPersonRegistry } from '../../../server/registries/http';
import { seedRegistries, type SeedResult } from '../../../server/registries/seed';
import { onPostgres } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';

const demo = (username: string) => DEMO_USERS.find((u) => u.username === username)!;
const E1 = demo('enterprise1').uscc!;
const E2 = demo('enterprise2').uscc!;
const A1 = demo('applicant1').idNumber!;
const A2 = demo('applicant2').idNumber!;

describe('registries: seeded tables and embedded connectors', () => {
  let server: TestServer;
  let knex: Knex;
  let registries: Registries;
  let seeded: SeedResult;

  before(async function () {
    this.timeout(60_000);
    // Without the demo seed, so this suite seeds itself (the race below) on empty tables.
    server = await startTestServer({ seedDemo: false });
    knex = server.running.platform.db.knex;
    registries = createRegistries(knex, {});
    // Two starts at once (two nodes, or a restart racing): one seeds, the other finds the tables filled.
    const results = await Promise.all([
      seedRegistries(knex, { today: server.clock.now() }),
      seedRegistries(knex, { today: server.clock.now() }),
    ]);
    expect(results.filter((r) => r.seeded)).to.have.length(1);
    seeded = results.find((r) => r.seeded)!;
    process.stdout.write(
      `      seed on ${onPostgres() ? 'PostgreSQL' : 'PGlite'}: ${seeded.ms} ms, ${seeded.persons} persons, ${seeded.enterprises} enterprises, ${seeded.licenses} licences\n`,
    );
  });
  after(() => server?.close());

  it('seeds 2,000 persons, 500 enterprises and the licences', async () => {
    expect(seeded).to.include({ persons: 2000, enterprises: 500 });
    expect(seeded.licenses).to.be.greaterThan(900);
    const [{ persons, enterprises, licenses }] = (
      await knex.raw(`select (select count(*) from persons)::int as persons, (select count(*) from enterprises)::int as enterprises,
                             (select count(*) from licenses)::int as licenses`)
    ).rows;
    expect({ persons, enterprises, licenses }).to.deep.equal({ persons: 2000, enterprises: 500, licenses: seeded.licenses });
  });

  it('is seeded when a development server starts', async () => {
    const dev = await startTestServer();
    try {
      const [{ persons }] = (await dev.running.platform.db.knex.raw('select count(*)::int as persons from persons')).rows;
      expect(persons).to.equal(2000);
      expect(await dev.running.platform.registries.persons.find('360426199101010071')).to.include({ name: '张伟' });
    } finally {
      await dev.close();
    }
  });

  it('seeds again only into empty tables: a second run changes nothing', async () => {
    const before = await knex('licenses').select('id').orderBy('id');
    const again = await seedRegistries(knex, { today: server.clock.now() });
    expect(again).to.include({ seeded: false, persons: 2000, enterprises: 500, licenses: seeded.licenses });
    expect(await knex('licenses').select('id').orderBy('id')).to.deep.equal(before);
  });

  it('has every stored ID number, USCC and e-licence identifier valid', async () => {
    const today = server.clock.now();
    const persons = await knex('persons').select('id_number');
    expect(persons).to.have.length(2000);
    for (const p of persons) expect(residentId.validate(p.id_number, { today }).valid, p.id_number).to.equal(true);
    const enterprises = await knex('enterprises').select('uscc', 'legal_representative_id_number');
    expect(enterprises).to.have.length(500);
    for (const e of enterprises) {
      expect(uscc.validate(e.uscc).valid, e.uscc).to.equal(true);
      expect(residentId.validate(e.legal_representative_id_number, { today }).valid).to.equal(true);
    }
    const licenses = await knex('licenses').select('identifier', 'issuer_code', 'holder_code', 'holder_type', 'type_code');
    for (const l of licenses) {
      expect(licenseIdentifier.validate(l.identifier).valid, l.identifier).to.equal(true);
      expect(uscc.validate(l.issuer_code).valid, l.issuer_code).to.equal(true);
      expect((l.holder_type === '111' ? residentId.validate(l.holder_code, { today }) : uscc.validate(l.holder_code)).valid).to.equal(true);
    }
    const types = new Set(licenses.map((l: { type_code: string }) => l.type_code));
    expect([...types].sort()).to.deep.equal(
      Object.values(LICENSE_TYPES)
        .map((t) => t.code)
        .sort(),
    );
  });

  it('gives licences unguessable ids: 128 random bits, all different', async () => {
    const ids = (await knex('licenses').pluck('id')) as string[];
    expect(new Set(ids).size).to.equal(ids.length);
    for (const id of ids) expect(id).to.match(/^[A-Za-z0-9_-]{22}$/);
  });

  it('finds the demo persons, with dates as the calendar days stored', async () => {
    const applicant1 = await registries.persons.find(A1);
    expect(applicant1).to.deep.include({ idNumber: A1, name: '张伟', sex: '男', birthDate: '1991-01-01', employerUscc: E2 });
    expect(applicant1!.address).to.match(/^江西省九江市德安县/);
    expect(await registries.persons.find(A2)).to.deep.include({ name: '李娜', sex: '女', birthDate: '1949-12-31', employerUscc: null });
    expect(await registries.persons.find('110105194912310038')).to.equal(undefined);
  });

  it('finds the demo enterprises with their legal representatives, who are persons of the registry', async () => {
    const enterprise1 = await registries.enterprises.find(E1);
    expect(enterprise1).to.deep.include({ name: '上海明德餐饮管理有限公司', status: 'active', establishedOn: '2009-06-18' });
    expect(enterprise1!.registeredCapital).to.be.a('number');
    expect(await registries.persons.find(enterprise1!.legalRepresentative.idNumber)).to.deep.include({
      name: enterprise1!.legalRepresentative.name,
    });
    expect(await registries.enterprises.find(E2)).to.deep.include({ name: '福建通达危险货物运输有限公司', status: 'active' });
    expect(await registries.enterprises.find('91110000600037342L')).to.equal(undefined);
  });

  it('lists what each demo holder holds: enterprise1 three licences, enterprise2 its business licence, applicant1 a qualification', async () => {
    const valid = async (holder: string) =>
      (await registries.licenses.byHolder(holder)).filter((l) => l.status === 'valid').map((l) => l.typeName);
    expect((await valid(E1)).sort()).to.deep.equal(['公共场所卫生许可证', '出版物经营许可证', '营业执照'].sort());
    expect(await valid(E2)).to.deep.equal(['营业执照']);
    expect(await valid(A1)).to.deep.equal(['道路运输从业人员从业资格证']);
    expect(await registries.licenses.byHolder(A2)).to.deep.equal([]);

    const [hygiene] = await registries.licenses.byHolder(E1, LICENSE_TYPES.hygienePermit.code);
    expect(hygiene).to.deep.include({ holderName: '上海明德餐饮管理有限公司', holderType: '001', version: 1, status: 'valid' });
    expect(hygiene.data).to.include({ premisesName: '明德书香咖啡馆', premisesType: '咖啡馆' });
    const [qualification] = await registries.licenses.byHolder(A1, LICENSE_TYPES.transportQualification.code);
    expect(qualification).to.deep.include({ number: A1, holderType: '111', issuerName: '福州市交通运输局' });
    expect(qualification.data).to.include({ category: '道路危险货物运输驾驶员', employerUscc: E2 });
  });

  it('finds a licence by its id and by its identifier, the same record', async () => {
    const [publication] = await registries.licenses.byHolder(E1, LICENSE_TYPES.publicationLicense.code);
    expect(await registries.licenses.find(publication.id)).to.deep.equal(publication);
    expect(await registries.licenses.byIdentifier(publication.identifier)).to.deep.equal(publication);
    expect(await registries.licenses.find('no-such-licence')).to.equal(undefined);
    expect(await registries.licenses.byIdentifier(`${publication.identifier.slice(0, -1)}0`)).to.equal(undefined);
    expect(publication.createdAt).to.match(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(publication.validUntil! > publication.validFrom).to.equal(true);
  });

  it('links a superseded licence to the version that replaced it, newest first for its holder', async () => {
    const superseded = await knex('licenses').where({ status: 'superseded' }).first('identifier', 'holder_code', 'type_code');
    const held = await registries.licenses.byHolder(superseded.holder_code, superseded.type_code);
    const replacing = held.find((l) => l.relatedIdentifier === superseded.identifier)!;
    expect(replacing).to.deep.include({ version: 2, status: 'valid' });
    expect(held.findIndex((l) => l === replacing)).to.be.below(held.findIndex((l) => l.identifier === superseded.identifier));
  });

  it('chooses each registry by configuration: its URL set, the HTTP connector; unset, the tables', () => {
    const mixed = createRegistries(knex, { PERSON_REGISTRY_URL: 'http://127.0.0.1:9/rk', REGISTRY_TIMEOUT_MS: '500' });
    expect(mixed.persons).to.be.instanceOf(HttpPersonRegistry);
    expect(mixed.licenses).to.be.instanceOf(EmbeddedLicenseLibrary);
    const remote = createRegistries(knex, {
      PERSON_REGISTRY_URL: 'http://127.0.0.1:9/rk',
      ENTERPRISE_REGISTRY_URL: 'http://127.0.0.1:9/fr',
      LICENSE_LIBRARY_URL: 'http://127.0.0.1:9/zz',
    });
    expect(remote.enterprises).to.be.instanceOf(HttpEnterpriseRegistry);
    expect(remote.licenses).to.be.instanceOf(HttpLicenseLibrary);
    expect(registries.persons).to.be.instanceOf(EmbeddedPersonRegistry);
  });
});
