import { expect } from 'chai';
import { DEMO_USERS } from '../../../server/auth/demo-users';
import { licenseIdentifier, residentId, uscc } from '../../../server/identifiers';
import { LICENSE_TYPES } from '../../../server/registries/license-types';
import { generateRegistries, type GeneratedRegistries } from '../../../server/registries/seed';
import { districtByCode, placeName } from '../../../server/registries/seed/regions';

const TODAY = new Date('2026-11-22T04:00:00Z');
const DAY = '2026-11-22';
const demo = (username: string) => DEMO_USERS.find((u) => u.username === username)!;

describe('registry sample generator', () => {
  let data: GeneratedRegistries;
  before(() => {
    data = generateRegistries({ today: TODAY });
  });

  it('gives the same data for the same seed and day, and other data for another seed', () => {
    expect(generateRegistries({ today: TODAY })).to.deep.equal(data);
    expect(generateRegistries({ today: TODAY, seed: 'other' }).persons[5]).not.to.deep.equal(data.persons[5]);
  });

  it('keeps people and enterprises the same on a later day; only which licences are current moves', () => {
    const later = generateRegistries({ today: new Date('2027-03-01T04:00:00Z') });
    expect(later.persons.map((p) => p.id_number)).to.deep.equal(data.persons.map((p) => p.id_number));
    expect(later.enterprises.map((e) => e.uscc)).to.deep.equal(data.enterprises.map((e) => e.uscc));
  });

  it('makes 2,000 persons and 500 enterprises, with unique keys', () => {
    expect(data.persons).to.have.length(2000);
    expect(data.enterprises).to.have.length(500);
    expect(new Set(data.persons.map((p) => p.id_number)).size).to.equal(2000);
    expect(new Set(data.enterprises.map((e) => e.uscc)).size).to.equal(500);
    expect(new Set(data.enterprises.map((e) => e.name)).size).to.equal(500);
    expect(new Set(data.licenses.map((l) => l.identifier)).size).to.equal(data.licenses.length);
  });

  it('gives persons the sex and birth date their ID number says, and an address in the district it names', () => {
    for (const p of data.persons) {
      const parts = residentId.parse(p.id_number, { today: TODAY });
      expect(parts, p.id_number).not.to.equal(undefined);
      expect(p.sex).to.equal(parts!.sex);
      expect(p.birth_date).to.equal(parts!.birthDate);
      expect(p.address.startsWith(placeName(districtByCode(parts!.regionCode)!)), p.address).to.equal(true);
    }
  });

  it('draws surnames by their frequency: 王, 李 and 张 lead', () => {
    const counts = new Map<string, number>();
    for (const p of data.persons) counts.set(p.name[0], (counts.get(p.name[0]) ?? 0) + 1);
    const top = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([s]) => s);
    expect(top.sort()).to.deep.equal(['张', '李', '王'].sort());
  });

  it('links legal representatives and employers to records that exist', () => {
    const persons = new Set(data.persons.map((p) => p.id_number));
    const enterprises = new Set(data.enterprises.map((e) => e.uscc));
    for (const e of data.enterprises) expect(persons.has(e.legal_representative_id_number), e.name).to.equal(true);
    const employed = data.persons.filter((p) => p.employer_uscc);
    expect(employed.length).to.be.greaterThan(800);
    for (const p of employed) expect(enterprises.has(p.employer_uscc!)).to.equal(true);
  });

  it('writes licences of every type, holders that exist, and statuses that fit the day', () => {
    const holders = new Set([...data.persons.map((p) => p.id_number), ...data.enterprises.map((e) => e.uscc)]);
    const identifiers = new Set(data.licenses.map((l) => l.identifier));
    for (const type of Object.values(LICENSE_TYPES)) {
      const ofType = data.licenses.filter((l) => l.type_code === type.code);
      // A business licence runs without end or for decades: revoked with its enterprise, never expired in the sample.
      const statuses =
        type === LICENSE_TYPES.businessLicense ? ['valid', 'revoked', 'superseded'] : ['valid', 'expired', 'revoked', 'superseded'];
      for (const status of statuses) {
        expect(ofType.filter((l) => l.status === status).length, `${type.name} ${status}`).to.be.greaterThan(0);
      }
    }
    for (const l of data.licenses) {
      expect(holders.has(l.holder_code), l.identifier).to.equal(true);
      expect(licenseIdentifier.parse(l.identifier)).to.deep.include({
        typeCode: l.type_code,
        issuerCode: l.issuer_code,
        version: l.version,
      });
      expect(l.valid_from <= DAY && l.issue_date <= DAY && l.valid_from <= l.issue_date, l.identifier).to.equal(true);
      if (l.status === 'expired') expect(l.valid_until! < DAY, l.identifier).to.equal(true);
      if (l.status === 'valid') expect(l.valid_until === null || l.valid_until >= DAY, l.identifier).to.equal(true);
      if (l.related_identifier) expect(identifiers.has(l.related_identifier)).to.equal(true);
    }
    const replaced = new Set(data.licenses.map((l) => l.related_identifier));
    for (const l of data.licenses.filter((x) => x.status === 'superseded')) expect(replaced.has(l.identifier), l.identifier).to.equal(true);
  });

  it('has every code valid: ID numbers, USCCs of enterprises and issuers, e-licence identifiers', () => {
    for (const p of data.persons) expect(residentId.validate(p.id_number, { today: TODAY }).valid, p.id_number).to.equal(true);
    for (const e of data.enterprises) expect(uscc.validate(e.uscc).valid, e.uscc).to.equal(true);
    for (const l of data.licenses) {
      expect(licenseIdentifier.validate(l.identifier).valid, l.identifier).to.equal(true);
      expect(uscc.validate(l.issuer_code).valid).to.equal(true);
      const holder = l.holder_type === '111' ? residentId.validate(l.holder_code, { today: TODAY }) : uscc.validate(l.holder_code);
      expect(holder.valid, l.holder_code).to.equal(true);
    }
  });

  it('includes the demo users with their holdings', () => {
    const e1 = demo('enterprise1').uscc!;
    const e2 = demo('enterprise2').uscc!;
    const a1 = demo('applicant1').idNumber!;
    const a2 = demo('applicant2').idNumber!;
    const held = (holder: string, type: { code: string }) =>
      data.licenses.filter((l) => l.holder_code === holder && l.type_code === type.code && l.status === 'valid');
    expect(data.persons.find((p) => p.id_number === a1)).to.include({ name: '张伟', employer_uscc: e2 });
    expect(data.persons.find((p) => p.id_number === a2)).to.include({ name: '李娜', employer_uscc: null });
    expect(data.enterprises.find((e) => e.uscc === e1)).to.include({ name: '上海明德餐饮管理有限公司', status: 'active' });
    expect(data.enterprises.find((e) => e.uscc === e2)).to.include({ name: '福建通达危险货物运输有限公司', status: 'active' });
    expect(held(e1, LICENSE_TYPES.businessLicense)).to.have.length(1);
    expect(held(e1, LICENSE_TYPES.hygienePermit)).to.have.length(1);
    expect(held(e1, LICENSE_TYPES.hygienePermit)[0].valid_until).to.equal('2027-01-21');
    expect(held(e1, LICENSE_TYPES.publicationLicense)).to.have.length(1);
    expect(held(e2, LICENSE_TYPES.businessLicense)).to.have.length(1);
    const [qualification] = held(a1, LICENSE_TYPES.transportQualification);
    expect(qualification.data).to.include({ category: '道路危险货物运输驾驶员', employerUscc: e2 });
    expect(data.licenses.filter((l) => l.holder_code === a2)).to.deep.equal([]);
  });
});
