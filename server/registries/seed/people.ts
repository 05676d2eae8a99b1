import { addDays, addYears, type Day } from './dates';
import { makeIdNumber } from './codes';
import { ethnicity, mobilePhone, personName, streetAddress } from './names';
import type { Random } from './prng';
import { DISTRICTS, placeName, type District } from './regions';

/** A `persons` row. */
export interface PersonRow {
  id_number: string;
  name: string;
  sex: '男' | '女';
  ethnicity: string;
  birth_date: Day;
  address: string;
  phone: string | null;
  employer_uscc: string | null;
}

export interface PersonSeed {
  row: PersonRow;
  district: District;
}

const AGE_BANDS: [[number, number], number][] = [
  [[18, 29], 22],
  [[30, 44], 30],
  [[45, 59], 28],
  [[60, 75], 15],
  [[76, 90], 5],
];

export function personAt(random: Random, district: District, anchor: Day, taken: Set<string>): PersonSeed {
  const sex = random.chance(0.5) ? '男' : '女';
  const [youngest, oldest] = random.weighted(AGE_BANDS);
  const birth = addDays(addYears(anchor, -random.int(youngest, oldest)), -random.int(0, 364));
  const people = ethnicity(random, district.code.slice(0, 2));
  const row: PersonRow = {
    id_number: makeIdNumber(random, district.code, birth, sex, taken),
    name: personName(random, sex, people),
    sex,
    ethnicity: people,
    birth_date: birth,
    address: placeName(district) + streetAddress(random),
    phone: random.chance(0.93) ? mobilePhone(random) : null,
    employer_uscc: null,
  };
  return { row, district };
}

/** Residents born all over the sample's districts; their address is the household registration, in the district their ID number names. */
export function generatePersons(random: Random, count: number, anchor: Day, taken: Set<string>): PersonSeed[] {
  return Array.from({ length: count }, () => personAt(random, random.pick(DISTRICTS), anchor, taken));
}

export function ageOn(birthDate: Day, day: Day): number {
  const age = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? age - 1 : age;
}
