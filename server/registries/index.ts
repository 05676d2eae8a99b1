import type { Knex } from 'knex';
import { loadRegistriesConfig } from './config';
import { EmbeddedEnterpriseRegistry, EmbeddedLicenseLibrary, EmbeddedPersonRegistry } from './embedded';
import { HttpEnterpriseRegistry, HttpLicenseLibrary, HttpPersonRegistry } from './http';
import type { Registries } from './ports';

/** Each registry by configuration: its HTTP service when its URL is set, else the embedded tables. */
export function createRegistries(knex: Knex, env: NodeJS.ProcessEnv = process.env): Registries {
  const config = loadRegistriesConfig(env);
  const http = (baseUrl: string) => ({ baseUrl, timeoutMs: config.timeoutMs });
  return {
    persons: config.personRegistryUrl ? new HttpPersonRegistry(http(config.personRegistryUrl)) : new EmbeddedPersonRegistry(knex),
    enterprises: config.enterpriseRegistryUrl
      ? new HttpEnterpriseRegistry(http(config.enterpriseRegistryUrl))
      : new EmbeddedEnterpriseRegistry(knex),
    licenses: config.licenseLibraryUrl ? new HttpLicenseLibrary(http(config.licenseLibraryUrl)) : new EmbeddedLicenseLibrary(knex),
  };
}

export * from './ports';
export * from './records';
export { LICENSE_TYPES, type LicenseType, type LicenseTypeKey } from './license-types';
