import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';
import { createKeyStore, issuingDepartments, type KeyStore, type Pkcs12Source } from '../../workers/esign/index';
import type { MatterCatalog } from '../matters/catalog';

interface KeyFileEntry {
  p12Path: string;
  password?: string;
  passwordFile?: string;
}

/**
 * The departments' signing keys: a real PKCS#12 file per department listed in the SIGNING_KEYS file
 * (`{"<department USCC>": {"p12Path", "passwordFile" | "password"}}`, paths relative to it), a development certificate
 * from the development CA (SIGNING_CA_DIR, `<DATA_DIR>/ca` by default) for any other. Every department's key is loaded at start, so a missing
 * file or a wrong password refuses start, naming the file.
 */
export async function loadSigningKeys(options: { caDir: string; signingKeysFile?: string; matters: MatterCatalog }): Promise<KeyStore> {
  const departments: Record<string, Pkcs12Source> = {};
  if (options.signingKeysFile) {
    const file = path.resolve(options.signingKeysFile);
    let entries: Record<string, KeyFileEntry>;
    try {
      entries = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`SIGNING_KEYS: cannot read ${file}: ${(error as Error).message}`);
    }
    for (const [code, entry] of Object.entries(entries)) {
      const p12Path = path.resolve(path.dirname(file), entry.p12Path ?? '');
      let password = entry.password;
      if (entry.passwordFile) {
        const passwordPath = path.resolve(path.dirname(file), entry.passwordFile);
        try {
          password = fs.readFileSync(passwordPath, 'utf8').trim();
        } catch {
          throw new ConfigError(`SIGNING_KEYS: the password file ${passwordPath} of department ${code} cannot be read`);
        }
      }
      if (!fs.existsSync(p12Path)) throw new ConfigError(`SIGNING_KEYS: the PKCS#12 file ${p12Path} of department ${code} does not exist`);
      departments[code] = { p12Path, password: password ?? '' };
    }
  }
  const keyStore = createKeyStore({ devCaDir: options.caDir, departments });
  try {
    await keyStore.prepare(issuingDepartments(options.matters));
  } catch (error) {
    throw new ConfigError(`the signing keys cannot be loaded: ${(error as Error).message}`);
  }
  return keyStore;
}
