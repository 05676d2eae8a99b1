import * as licenseIdentifier from '../../identifiers/license-identifier';
import type { LicenseStatus } from '../records';
import type { LicenseType } from '../license-types';
import { addDays, addYears, daysBetween, type Day } from './dates';
import type { Issuer } from './issuers';
import type { Random } from './prng';

/** A `licenses` row, without its id (a secret drawn at insert, never from the seed) and created_at. */
export interface LicenseRow {
  identifier: string;
  type_code: string;
  type_name: string;
  number: string;
  issuer_name: string;
  issuer_code: string;
  issue_date: Day;
  valid_from: Day;
  valid_until: Day | null;
  holder_name: string;
  holder_code: string;
  holder_type: '111' | '001';
  territory_code: string;
  related_identifier: string | null;
  version: number;
  status: LicenseStatus;
  data: Record<string, unknown>;
  document_sha256: null;
}

export interface Term {
  issueDate: Day;
  validFrom: Day;
  /** null: without end */
  validUntil: Day | null;
}

/** What happened to a licence: still valid, run out, revoked, or replaced by a second version (the first then superseded). */
export type Fate = 'valid' | 'expired' | 'revoked' | 'changed';

export const FATES: [Fate, number][] = [
  ['valid', 75],
  ['expired', 12],
  ['revoked', 5],
  ['changed', 8],
];

/**
 * A term of so many years beginning no earlier than `notBefore` (at least 60 days before today): current (issued
 * at least 60 days ago, 40 days or more left) or run out within the last two years (as far back as `notBefore` allows).
 */
export function termOf(random: Random, today: Day, years: number, current: boolean, notBefore: Day): Term {
  if (current) {
    const back = Math.max(60, Math.min(years * 365 - 40, daysBetween(notBefore, today)));
    const issueDate = addDays(today, -random.int(60, back));
    return { issueDate, validFrom: issueDate, validUntil: addDays(addYears(issueDate, years), -1) };
  }
  const latestEnd = Math.min(720, daysBetween(addYears(notBefore, years), today));
  const validUntil = addDays(today, -random.int(1, Math.max(1, latestEnd)));
  const validFrom = addYears(addDays(validUntil, 1), -years);
  return { issueDate: validFrom, validFrom, validUntil };
}

export interface LicenseSpec {
  type: LicenseType;
  issuer: Issuer;
  holderName: string;
  holderCode: string;
  number: string;
  term: Term;
  fate: Fate;
  data: Record<string, unknown>;
  /** For a changed licence: how its first version differed. */
  before?: Record<string, unknown>;
  revocationReason?: string;
}

/** Licences written with identifiers that pass their check (built by the identifier module) and serials unique per type. */
export class LicenseWriter {
  readonly rows: LicenseRow[] = [];
  private readonly serials = new Map<string, number>();

  constructor(
    private readonly random: Random,
    private readonly today: Day,
  ) {}

  write(spec: LicenseSpec): LicenseRow {
    const count = (this.serials.get(spec.type.code) ?? 0) + 1;
    this.serials.set(spec.type.code, count);
    const serial = spec.term.issueDate.slice(0, 4) + spec.issuer.territory + String(count).padStart(6, '0');
    const row = (
      version: number,
      issueDate: Day,
      status: LicenseStatus,
      data: Record<string, unknown>,
      related: string | null,
    ): LicenseRow => ({
      identifier: licenseIdentifier.build({ typeCode: spec.type.code, issuerCode: spec.issuer.code, serial, version }),
      type_code: spec.type.code,
      type_name: spec.type.name,
      number: spec.number,
      issuer_name: spec.issuer.name,
      issuer_code: spec.issuer.code,
      issue_date: issueDate,
      valid_from: spec.term.validFrom,
      valid_until: spec.term.validUntil,
      holder_name: spec.holderName,
      holder_code: spec.holderCode,
      holder_type: spec.type.holderType,
      territory_code: spec.issuer.territory,
      related_identifier: related,
      version,
      status,
      data,
      document_sha256: null,
    });
    if (spec.fate === 'changed') {
      const first = row(1, spec.term.issueDate, 'superseded', { ...spec.data, ...spec.before }, null);
      const room = daysBetween(spec.term.issueDate, this.today);
      const changedOn = addDays(spec.term.issueDate, this.random.int(Math.min(30, room - 1), room - 1));
      const second = row(2, changedOn, 'valid', spec.data, first.identifier);
      this.rows.push(first, second);
      return second;
    }
    const data = { ...spec.data };
    if (spec.fate === 'revoked') {
      const room = daysBetween(spec.term.issueDate, this.today);
      data.revokedOn = addDays(spec.term.issueDate, this.random.int(Math.min(30, room - 1), room - 1));
      data.revocationReason = spec.revocationReason ?? '经营者申请注销';
    }
    const status = spec.fate === 'expired' ? 'expired' : spec.fate === 'revoked' ? 'revoked' : 'valid';
    const written = row(1, spec.term.issueDate, status, data, null);
    this.rows.push(written);
    return written;
  }
}
