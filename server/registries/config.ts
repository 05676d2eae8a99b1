import { ConfigError } from '../config';

/** Where each registry lives: an unset URL means the embedded tables. README lists the variables. */
export interface RegistriesConfig {
  personRegistryUrl?: string;
  enterpriseRegistryUrl?: string;
  licenseLibraryUrl?: string;
  timeoutMs: number;
}

export const DEFAULT_REGISTRY_TIMEOUT_MS = 3000;

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

export function loadRegistriesConfig(env: NodeJS.ProcessEnv = process.env): RegistriesConfig {
  const rawTimeout = env.REGISTRY_TIMEOUT_MS;
  let timeoutMs = DEFAULT_REGISTRY_TIMEOUT_MS;
  if (rawTimeout !== undefined && rawTimeout !== '') {
    timeoutMs = Number(rawTimeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new ConfigError(`REGISTRY_TIMEOUT_MS must be a positive integer, got "${rawTimeout}"`);
  }
  return {
    personRegistryUrl: url(env, 'PERSON_REGISTRY_URL'),
    enterpriseRegistryUrl: url(env, 'ENTERPRISE_REGISTRY_URL'),
    licenseLibraryUrl: url(env, 'LICENSE_LIBRARY_URL'),
    timeoutMs,
  };
}
