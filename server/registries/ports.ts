import type { Enterprise, License, Person } from './records';

/** Each lookup answers undefined (or an empty list) when the registry knows nothing, and throws RegistryUnavailable when it cannot answer. */
export interface PersonRegistry {
  find(idNumber: string): Promise<Person | undefined>;
}

export interface EnterpriseRegistry {
  find(uscc: string): Promise<Enterprise | undefined>;
}

export interface LicenseLibrary {
  find(id: string): Promise<License | undefined>;
  /** Every licence of the holder, of every status, newest first; of one type when `typeCode` is given. */
  byHolder(holderCode: string, typeCode?: string): Promise<License[]>;
  byIdentifier(identifier: string): Promise<License | undefined>;
}

export interface Registries {
  persons: PersonRegistry;
  enterprises: EnterpriseRegistry;
  licenses: LicenseLibrary;
}

export type RegistryName = 'persons' | 'enterprises' | 'licenses';

export const REGISTRY_LABELS: Readonly<Record<RegistryName, string>> = {
  persons: 'person registry (人口库)',
  enterprises: 'enterprise registry (法人库)',
  licenses: 'e-licence library (电子证照库)',
};

export type UnavailableReason = 'timeout' | 'network' | 'status' | 'malformed';

/** A registry that failed or did not answer in time: the caller leaves the field for the applicant to fill. */
export class RegistryUnavailable extends Error {
  constructor(
    readonly registry: RegistryName,
    readonly reason: UnavailableReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${REGISTRY_LABELS[registry]} unavailable: ${detail}`, options);
    this.name = 'RegistryUnavailable';
  }
}
