import path from 'node:path';
import { loadMatters } from '../../../server/matters/catalog';
import type { Caller } from '../../../server/matters/eligibility';
import { guide, type Guidance, type GuidanceRequest } from '../../../server/matters/guidance';
import type {
  EligibilitySources,
  EnterpriseRecord,
  ExemptionSources,
  HeldLicense,
  OpenApplication,
  RegistryKind,
} from '../../../server/matters/sources';

/** The type codes of server/registries/license-types.ts, as the matter files name them. */
export const LICENSE = {
  business: '11100000MB0357202A001',
  hygiene: '11100000MB1640886L012',
  publication: '11100000MB0Y1573XM005',
  qualification: '11100000000013872T003',
} as const;

export interface FakeWorld {
  enterprises?: Record<string, EnterpriseRecord>;
  /** holder code → licences (with their type) */
  licenses?: Record<string, (HeldLicense & { type: string })[]>;
  registry?: Partial<Record<RegistryKind, string[]>>;
  open?: Record<string, OpenApplication>;
  /** Every lookup fails, as a registry that is down. */
  down?: boolean;
}

/** The registries and applications as guidance sees them, from plain data. */
export function fakeSources(world: FakeWorld): { exemptions: ExemptionSources; eligibility: EligibilitySources } {
  const guard = async <T>(answer: () => T): Promise<T> => {
    if (world.down) throw new Error('registry timed out');
    return answer();
  };
  const held = (holder: string, type: string) => (world.licenses?.[holder] ?? []).filter((l) => l.type === type);
  return {
    exemptions: {
      holdsLicense: (holder, type) => guard(() => held(holder, type).some((l) => l.status === 'valid')),
      inRegistry: (kind, code) => guard(() => (world.registry?.[kind] ?? []).includes(code)),
    },
    eligibility: {
      enterprise: (uscc) => guard(() => world.enterprises?.[uscc] ?? null),
      licenses: (holder, type) => guard(() => held(holder, type).map(({ type: _type, ...license }) => license)),
      openApplication: ({ licenseId }) => guard(() => world.open?.[licenseId] ?? null),
    },
  };
}

export const catalog = loadMatters(path.resolve('processes'));
export const HYGIENE = catalog.get('public-place-hygiene-permit')!;
export const REISSUE = catalog.get('publication-licence-reissue')!;
export const STAFF_CHANGE = catalog.get('dangerous-goods-staff-employer-change')!;
/** enterprise1 and applicant1 of the demo users. */
export const USCC = '91110000600037341L';
export const ID_NUMBER = '360426199101010071';
export const enterprise: Caller = { kind: 'enterprise', code: USCC };
export const active = { [USCC]: { name: '上海明德餐饮管理有限公司', active: true, status: '存续' } };
export const business = { id: 'lic-biz', number: USCC, status: 'valid' as const, validUntil: null, type: LICENSE.business };
export const hygienePermit = (validUntil: string, extra: Partial<{ id: string; status: 'valid' | 'revoked' | 'expired' }> = {}) => ({
  id: 'lic-hp-1',
  number: '京卫公证字〔2024〕第0301号',
  status: 'valid' as const,
  validUntil,
  type: LICENSE.hygiene,
  ...extra,
});

/** Guidance on Monday 2 March 2026, in a world of plain data. */
export function ask(matter = HYGIENE, request: GuidanceRequest, caller?: Caller, world: FakeWorld = {}): Promise<Guidance> {
  return guide(matter, request, { caller, calendar: catalog.calendar, now: new Date('2026-03-02T02:00:00Z'), ...fakeSources(world) });
}
