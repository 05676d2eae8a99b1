import { expect } from 'chai';
import { ConfigError } from '../../../server/config';
import { DEFAULT_REGISTRY_TIMEOUT_MS, loadRegistriesConfig } from '../../../server/registries/config';

describe('registries configuration', () => {
  it('uses the embedded tables and a 3 s timeout when nothing is set', () => {
    expect(loadRegistriesConfig({})).to.deep.equal({
      personRegistryUrl: undefined,
      enterpriseRegistryUrl: undefined,
      licenseLibraryUrl: undefined,
      timeoutMs: DEFAULT_REGISTRY_TIMEOUT_MS,
    });
    expect(DEFAULT_REGISTRY_TIMEOUT_MS).to.equal(3000);
  });

  it('reads each registry’s URL and the timeout', () => {
    const config = loadRegistriesConfig({
      PERSON_REGISTRY_URL: 'https://rk.example.gov.cn/api',
      ENTERPRISE_REGISTRY_URL: 'http://10.0.0.5:8080/fr/',
      LICENSE_LIBRARY_URL: '',
      REGISTRY_TIMEOUT_MS: '1500',
    });
    expect(config).to.deep.equal({
      personRegistryUrl: 'https://rk.example.gov.cn/api',
      enterpriseRegistryUrl: 'http://10.0.0.5:8080/fr/',
      licenseLibraryUrl: undefined,
      timeoutMs: 1500,
    });
  });

  it('refuses a URL that is not http(s) and a timeout that is not a positive integer, naming the variable', () => {
    expect(() => loadRegistriesConfig({ PERSON_REGISTRY_URL: 'rk.example.gov.cn' })).to.throw(ConfigError, 'PERSON_REGISTRY_URL');
    expect(() => loadRegistriesConfig({ LICENSE_LIBRARY_URL: 'ftp://files.example' })).to.throw(ConfigError, 'LICENSE_LIBRARY_URL');
    for (const bad of ['0', '-5', '2.5', 'soon']) {
      expect(() => loadRegistriesConfig({ REGISTRY_TIMEOUT_MS: bad }), bad).to.throw(ConfigError, 'REGISTRY_TIMEOUT_MS');
    }
  });
});
