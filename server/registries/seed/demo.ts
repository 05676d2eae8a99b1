import { DEMO_USERS } from '../../auth/demo-users';
import * as residentId from '../../identifiers/resident-id';
import { addDays, addYears, type Day } from './dates';
import { enterpriseAt, type EnterpriseSeed, type PersonPool } from './enterprises';
import { industry } from './industries';
import { businessLicense, hygienePermit, publicationLicense, transportQualification, type Context } from './license-kinds';
import type { PersonSeed } from './people';
import { Random } from './prng';
import { districtByCode, placeName } from './regions';

/** The demo users' identities (server/auth/demo-users.ts), with what it takes to try every flow of the first three matters. */
function demoUser(username: string) {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user;
}

function demoPerson(username: string, details: { street: string; phone: string; employerUscc: string | null }): PersonSeed {
  const user = demoUser(username);
  const parts = residentId.parse(user.idNumber!);
  if (!parts) throw new Error(`demo user ${username} has an invalid ID number`);
  const district = districtByCode(parts.regionCode)!;
  return {
    district,
    row: {
      id_number: user.idNumber!,
      name: user.name,
      sex: parts.sex,
      ethnicity: '汉族',
      birth_date: parts.birthDate,
      address: placeName(district) + details.street,
      phone: details.phone,
      employer_uscc: details.employerUscc,
    },
  };
}

export function demoPersons(): PersonSeed[] {
  return [
    demoPerson('applicant1', { street: '蒲亭镇建设路28号', phone: '13907926071', employerUscc: demoUser('enterprise2').uscc! }),
    demoPerson('applicant2', { street: '金台路12号院3号楼2单元501室', phone: '13601108823', employerUscc: null }),
  ];
}

/**
 * enterprise1 runs a book café in Beijing (its code was registered at the municipal level); enterprise2 carries
 * dangerous goods in Fuzhou and employs applicant1; enterprise3, another Fuzhou carrier, is hiring them (the change of
 * employer to try).
 */
export function demoEnterprises(
  random: Random,
  anchor: Day,
  people: PersonPool,
  taken: { codes: Set<string>; names: Set<string> },
): EnterpriseSeed[] {
  const e1 = demoUser('enterprise1');
  const e2 = demoUser('enterprise2');
  const e3 = demoUser('enterprise3');
  const east = districtByCode('110101')!;
  const jinan = districtByCode('350111')!;
  const gulou = districtByCode('350102')!;
  return [
    enterpriseAt(random, anchor, people, taken, {
      uscc: e1.uscc,
      name: e1.name,
      brand: '明德',
      district: east,
      industry: industry('catering'),
      establishedOn: '2009-06-18',
      address: `${placeName(east)}东直门南大街10号1层101室`,
      status: 'active',
      businessScope: '餐饮服务；餐饮管理；食品销售；咖啡馆服务；出版物零售',
    }),
    enterpriseAt(random, anchor, people, taken, {
      uscc: e2.uscc,
      name: e2.name,
      brand: '通达',
      district: jinan,
      industry: industry('hazmat'),
      establishedOn: '2012-03-26',
      address: `${placeName(jinan)}连江北路168号`,
      status: 'active',
    }),
    // Its own random stream: the rest of the sample stays what it was before it joined.
    enterpriseAt(new Random('demo/enterprise3'), anchor, people, taken, {
      uscc: e3.uscc,
      name: e3.name,
      brand: '顺安',
      district: gulou,
      industry: industry('hazmat'),
      establishedOn: '2016-09-12',
      address: `${placeName(gulou)}五四路89号`,
      status: 'active',
    }),
  ];
}

/**
 * enterprise1: business licence, a hygiene permit that ends in 60 days (inside a renewal window, still changeable),
 * a publication licence with two years left, the permit naming the legal representative before the last change;
 * enterprise2 and enterprise3: business licences; applicant1: a dangerous-goods driver's qualification with enterprise2
 * as employer. applicant2 holds nothing.
 */
export function demoLicenses(context: Context, [e1, e2, e3]: EnterpriseSeed[], [applicant1]: PersonSeed[]): void {
  const { today } = context;
  businessLicense(context, e1, 'valid');
  const hygieneUntil = addDays(today, 60);
  const hygieneFrom = addYears(addDays(hygieneUntil, 1), -4);
  hygienePermit(context, e1, 'valid', {
    premisesType: '咖啡馆',
    premisesName: '明德书香咖啡馆',
    // Issued before the legal representative changed at the registry: what a change (变更) brings up to date.
    legalRepresentative: '王建国',
    term: { issueDate: hygieneFrom, validFrom: hygieneFrom, validUntil: hygieneUntil },
  });
  const publicationFrom = addDays(today, -400);
  publicationLicense(context, e1, 'valid', {
    issueDate: publicationFrom,
    validFrom: publicationFrom,
    validUntil: addDays(addYears(publicationFrom, 3), -1),
  });
  businessLicense(context, e2, 'valid');
  businessLicense(context, e3, 'valid');
  const qualificationFrom = addDays(today, -300);
  transportQualification(context, applicant1, e2, 'valid', {
    category: '道路危险货物运输驾驶员',
    term: { issueDate: qualificationFrom, validFrom: qualificationFrom, validUntil: addDays(addYears(qualificationFrom, 6), -1) },
  });
}
