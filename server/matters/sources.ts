/**
 * What guidance asks of the rest of the platform. The shared-data registries and the e-licence library
 * (server/registries) satisfy ExemptionSources and the lookups of EligibilitySources; the applications store answers
 * `openApplication`. Codes are the holder's: a USCC for an enterprise, a resident ID number for a person.
 */
export type RegistryKind = 'person' | 'enterprise';

export interface ExemptionSources {
  /** The holder has a currently valid e-licence of this type (GB/T 36904 type code) in the library. */
  holdsLicense(holderCode: string, typeCode: string): Promise<boolean>;
  /** The registry has a record for this ID number (person) or USCC (enterprise). */
  inRegistry(kind: RegistryKind, code: string): Promise<boolean>;
}

export interface EnterpriseRecord {
  name: string;
  /** Registered as operating (存续/在业). */
  active: boolean;
  /** The registration status as the registry words it: 存续, 在业, 吊销, 注销, 迁出… */
  status: string;
}

export type LicenseStatus = 'valid' | 'suspended' | 'revoked' | 'cancelled' | 'superseded' | 'expired';

export interface HeldLicense {
  id: string;
  /** The number printed on the licence (证照编号). */
  number: string;
  status: LicenseStatus;
  /** `YYYY-MM-DD` or an ISO time; null when the licence does not expire. */
  validUntil: string | null;
}

export interface OpenApplication {
  id: string;
  caseNumber: string | null;
}

export interface EligibilitySources {
  enterprise(uscc: string): Promise<EnterpriseRecord | null>;
  /** Every licence of this type the holder has in the library, whatever its status. */
  licenses(holderCode: string, typeCode: string): Promise<HeldLicense[]>;
  /** A submitted application of this matter about this licence that is not yet decided, withdrawn or closed. */
  openApplication(query: { matterSlug: string; licenseId: string }): Promise<OpenApplication | null>;
}
