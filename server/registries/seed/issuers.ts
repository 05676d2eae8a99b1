import { makeUscc } from './codes';
import type { Random } from './prng';
import { divisionName, isMunicipality } from './regions';

export interface Issuer {
  name: string;
  /** Its unified social credit code (a public body: 11…). */
  code: string;
  /** The division it serves, the licence's territory code. */
  territory: string;
}

export type Office = 'market' | 'health' | 'culture' | 'transport';

const OFFICE_NAMES: Record<Office, string> = {
  market: '市场监督管理局',
  health: '卫生健康委员会',
  culture: '文化和旅游局',
  transport: '交通运输局',
};

/** The issuing departments, each created once with its own code the first time a licence needs it. */
export class Issuers {
  private readonly known = new Map<string, Issuer>();

  constructor(
    private readonly random: Random,
    private readonly takenCodes: Set<string>,
  ) {}

  /** The office at that division; transport offices sit at the city (设区的市), or at a municipality's own level. */
  at(office: Office, regionCode: string): Issuer {
    let territory = regionCode;
    if (office === 'transport') territory = isMunicipality(regionCode) ? `${regionCode.slice(0, 2)}0000` : `${regionCode.slice(0, 4)}00`;
    const name =
      office === 'transport' && isMunicipality(territory)
        ? `${divisionName(territory)}交通委员会`
        : divisionName(territory) + OFFICE_NAMES[office];
    let issuer = this.known.get(name);
    if (!issuer) {
      // Offices formed by the 2018 reorganisation carry new-style (MB…) organisation codes.
      issuer = { name, code: makeUscc(this.random, '11', territory, 'MB', this.takenCodes), territory };
      this.known.set(name, issuer);
    }
    return issuer;
  }

  all(): Issuer[] {
    return [...this.known.values()];
  }
}
