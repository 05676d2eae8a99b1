import { z } from 'zod';
import { RegistryUnavailable, type EnterpriseRegistry, type LicenseLibrary, type PersonRegistry, type RegistryName } from './ports';
import { enterpriseSchema, licenseSchema, personSchema, type Enterprise, type License, type Person } from './records';

/**
 * Registries behind an HTTP service, each at its own base URL, answering JSON in the shapes of records.ts:
 *   GET {PERSON_REGISTRY_URL}/persons/{idNumber}             → 200 Person, 404 unknown
 *   GET {ENTERPRISE_REGISTRY_URL}/enterprises/{uscc}         → 200 Enterprise, 404 unknown
 *   GET {LICENSE_LIBRARY_URL}/licenses/{id}                  → 200 License, 404 unknown
 *   GET {LICENSE_LIBRARY_URL}/licenses?holderCode=&typeCode= → 200 License[] (typeCode optional; [] when none)
 *   GET {LICENSE_LIBRARY_URL}/licenses?identifier=           → 200 License[] (none or one)
 * Anything else (no answer within the timeout, a network error, another status, a body that is not such JSON)
 * is RegistryUnavailable.
 */
export interface HttpRegistryOptions {
  baseUrl: string;
  timeoutMs: number;
}

class HttpRegistryClient {
  private readonly base: URL;

  constructor(
    private readonly registry: RegistryName,
    private readonly options: HttpRegistryOptions,
  ) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  /** The parsed answer, or undefined on 404 (and for a key that cannot name anything, such as an empty one). */
  async get<T>(segments: string[], schema: z.ZodType<T>, query: Record<string, string | undefined> = {}): Promise<T | undefined> {
    if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
    const url = new URL(segments.map(encodeURIComponent).join('/'), this.base);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
    // The key (an ID number, a code) stays out of error messages, which end up in logs.
    const target = `GET ${new URL(encodeURIComponent(segments[0]), this.base)}${segments.length > 1 ? '/…' : ''}`;
    let text: string;
    let status: number;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new RegistryUnavailable(this.registry, 'timeout', `no answer within ${this.options.timeoutMs} ms (${target})`, {
          cause: error,
        });
      }
      const detail = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new RegistryUnavailable(this.registry, 'network', `${detail} (${target})`, { cause: error });
    }
    if (status === 404) return undefined;
    if (status !== 200) throw new RegistryUnavailable(this.registry, 'status', `answered ${status} (${target})`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new RegistryUnavailable(this.registry, 'malformed', `answered a body that is not JSON (${target})`, { cause: error });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? issue.path.join('.') : 'the body';
      throw new RegistryUnavailable(this.registry, 'malformed', `answered JSON of another shape: ${where}: ${issue.message} (${target})`);
    }
    return parsed.data;
  }
}

export class HttpPersonRegistry implements PersonRegistry {
  private readonly client: HttpRegistryClient;
  constructor(options: HttpRegistryOptions) {
    this.client = new HttpRegistryClient('persons', options);
  }
  find(idNumber: string): Promise<Person | undefined> {
    return this.client.get(['persons', idNumber], personSchema);
  }
}

export class HttpEnterpriseRegistry implements EnterpriseRegistry {
  private readonly client: HttpRegistryClient;
  constructor(options: HttpRegistryOptions) {
    this.client = new HttpRegistryClient('enterprises', options);
  }
  find(uscc: string): Promise<Enterprise | undefined> {
    return this.client.get(['enterprises', uscc], enterpriseSchema);
  }
}

const licenseList = z.array(licenseSchema);

export class HttpLicenseLibrary implements LicenseLibrary {
  private readonly client: HttpRegistryClient;
  constructor(options: HttpRegistryOptions) {
    this.client = new HttpRegistryClient('licenses', options);
  }
  find(id: string): Promise<License | undefined> {
    return this.client.get(['licenses', id], licenseSchema);
  }
  byHolder(holderCode: string, typeCode?: string): Promise<License[]> {
    return this.list({ holderCode, typeCode });
  }
  async byIdentifier(identifier: string): Promise<License | undefined> {
    return (await this.list({ identifier }))[0];
  }
  /** A list answers an empty array when nothing matches: a 404 there means the URL is wrong. */
  private async list(query: Record<string, string | undefined>): Promise<License[]> {
    const found = await this.client.get(['licenses'], licenseList, query);
    if (!found) throw new RegistryUnavailable('licenses', 'status', 'answered 404 to a list query (check LICENSE_LIBRARY_URL)');
    return found;
  }
}
