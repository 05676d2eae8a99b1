import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { HttpEnterpriseRegistry, HttpLicenseLibrary, HttpPersonRegistry } from '../../../server/registries/http';
import { RegistryUnavailable, type RegistryName } from '../../../server/registries/ports';
import type { Enterprise, License, Person } from '../../../server/registries/records';

const PERSON: Person = {
  idNumber: '360426199101010071',
  name: '张伟',
  sex: '男',
  ethnicity: '汉族',
  birthDate: '1991-01-01',
  address: '江西省九江市德安县蒲亭镇建设路28号',
  phone: '13907926071',
  employerUscc: '91350100M000100Y43',
};
const ENTERPRISE: Enterprise = {
  uscc: '91350100M000100Y43',
  name: '福建通达危险货物运输有限公司',
  type: '有限责任公司（自然人投资或控股）',
  legalRepresentative: { name: '王刚宁', idNumber: '35080219680401869X' },
  address: '福建省福州市晋安区连江北路168号',
  establishedOn: '2012-03-26',
  registeredCapital: 100,
  status: 'active',
  businessScope: '道路危险货物运输',
  phone: '0591-87654321',
};
const LICENSE: License = {
  id: 'k3J9vQ2mXbL7pR4sT8wY1a',
  identifier: '1.2.156.3005.2.11100000000013872T003.11350100MBRE140922.2026350100000001.001.W',
  typeCode: '11100000000013872T003',
  typeName: '道路运输从业人员从业资格证',
  number: '360426199101010071',
  issuerName: '福州市交通运输局',
  issuerCode: '11350100MBRE140922',
  issueDate: '2026-01-26',
  validFrom: '2026-01-26',
  validUntil: '2032-01-25',
  holderName: '张伟',
  holderCode: '360426199101010071',
  holderType: '111',
  territoryCode: '350100',
  relatedIdentifier: null,
  version: 1,
  status: 'valid',
  data: { category: '道路危险货物运输驾驶员', employerUscc: '91350100M000100Y43' },
  documentSha256: null,
  createdAt: '2026-11-22T04:00:00.000Z',
};

/** A registry service on a loopback port; the first path segment picks how it behaves. */
function startRegistryService() {
  const requests: { url: string; accept?: string }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url!, accept: req.headers.accept });
    const url = new URL(req.url!, 'http://registry');
    const [mode, kind, key] = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (mode === 'slow') return void setTimeout(() => json(200, PERSON), 2000).unref();
    if (mode === 'fail') return json(500, { error: 'database down' });
    if (mode === 'garbled') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"idNumber": "3604');
    if (mode === 'shape') return json(200, { ...PERSON, birthDate: '01/01/1991', sex: 'M' });
    if (mode === 'gone') return json(404, { error: 'no such route' });
    if (kind === 'persons' && key === PERSON.idNumber) return json(200, PERSON);
    if (kind === 'enterprises' && key === ENTERPRISE.uscc) return json(200, { ...ENTERPRISE, unknownField: 'ignored' });
    if (kind === 'licenses' && key === LICENSE.id) return json(200, LICENSE);
    if (kind === 'licenses' && key === undefined) {
      const q = url.searchParams;
      const matches =
        (q.get('holderCode') === LICENSE.holderCode && (!q.has('typeCode') || q.get('typeCode') === LICENSE.typeCode)) ||
        q.get('identifier') === LICENSE.identifier;
      return json(200, matches ? [LICENSE] : []);
    }
    json(404, { error: 'not found' });
  });
  return new Promise<{ base: string; requests: typeof requests; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        base: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function unavailable(
  promise: Promise<unknown>,
  registry: RegistryName,
  reason: RegistryUnavailable['reason'],
): Promise<RegistryUnavailable> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(RegistryUnavailable);
    const e = error as RegistryUnavailable;
    expect(e.registry).to.equal(registry);
    expect(e.reason, e.message).to.equal(reason);
    return e;
  }
  throw new Error('expected RegistryUnavailable');
}

describe('registry connectors over HTTP', () => {
  let service: Awaited<ReturnType<typeof startRegistryService>>;
  before(async () => {
    service = await startRegistryService();
  });
  after(() => service?.close());
  const options = (mode: string, timeoutMs = 1000) => ({ baseUrl: `${service.base}/${mode}`, timeoutMs });

  it('finds a person, an enterprise and a licence, asking for JSON', async () => {
    expect(await new HttpPersonRegistry(options('ok')).find(PERSON.idNumber)).to.deep.equal(PERSON);
    expect(await new HttpEnterpriseRegistry(options('ok')).find(ENTERPRISE.uscc)).to.deep.equal(ENTERPRISE);
    const library = new HttpLicenseLibrary(options('ok/'));
    expect(await library.find(LICENSE.id)).to.deep.equal(LICENSE);
    expect(service.requests.at(-1)).to.deep.equal({ url: `/ok/licenses/${LICENSE.id}`, accept: 'application/json' });
  });

  it('lists a holder’s licences, of one type when asked, and finds one by its identifier', async () => {
    const library = new HttpLicenseLibrary(options('ok'));
    expect(await library.byHolder(LICENSE.holderCode)).to.deep.equal([LICENSE]);
    expect(service.requests.at(-1)!.url).to.equal(`/ok/licenses?holderCode=${LICENSE.holderCode}`);
    expect(await library.byHolder(LICENSE.holderCode, LICENSE.typeCode)).to.deep.equal([LICENSE]);
    expect(await library.byHolder(LICENSE.holderCode, '11100000MB1640886L012')).to.deep.equal([]);
    expect(await library.byIdentifier(LICENSE.identifier)).to.deep.equal(LICENSE);
    expect(await library.byIdentifier(`${LICENSE.identifier.slice(0, -1)}X`)).to.equal(undefined);
  });

  it('answers undefined for a 404, and for a key that names nothing without asking', async () => {
    expect(await new HttpPersonRegistry(options('ok')).find('11010519491231002X')).to.equal(undefined);
    expect(await new HttpEnterpriseRegistry(options('ok')).find('91110000600037341L')).to.equal(undefined);
    expect(await new HttpLicenseLibrary(options('ok')).find('nope')).to.equal(undefined);
    const before = service.requests.length;
    expect(await new HttpPersonRegistry(options('ok')).find('')).to.equal(undefined);
    expect(await new HttpPersonRegistry(options('ok')).find('..')).to.equal(undefined);
    expect(service.requests.length).to.equal(before);
  });

  it('escapes the key into one path segment', async () => {
    expect(await new HttpPersonRegistry(options('ok')).find('a/b?c')).to.equal(undefined);
    expect(service.requests.at(-1)!.url).to.equal('/ok/persons/a%2Fb%3Fc');
  });

  it('gives up after the timeout: RegistryUnavailable saying which registry and why', async () => {
    const started = Date.now();
    const error = await unavailable(new HttpPersonRegistry(options('slow', 150)).find(PERSON.idNumber), 'persons', 'timeout');
    expect(Date.now() - started).to.be.below(1500);
    expect(error.message).to.contain('person registry (人口库) unavailable: no answer within 150 ms');
  });

  it('treats a 500 as unavailable', async () => {
    const error = await unavailable(new HttpEnterpriseRegistry(options('fail')).find(ENTERPRISE.uscc), 'enterprises', 'status');
    expect(error.message).to.contain('answered 500');
    await unavailable(new HttpLicenseLibrary(options('fail')).byHolder(LICENSE.holderCode), 'licenses', 'status');
  });

  it('treats a body that is not JSON, or JSON of another shape, as unavailable', async () => {
    const garbled = await unavailable(new HttpPersonRegistry(options('garbled')).find(PERSON.idNumber), 'persons', 'malformed');
    expect(garbled.message).to.contain('not JSON');
    const shape = await unavailable(new HttpPersonRegistry(options('shape')).find(PERSON.idNumber), 'persons', 'malformed');
    expect(shape.message).to.match(/another shape: (sex|birthDate)/);
    await unavailable(new HttpLicenseLibrary(options('garbled')).byIdentifier(LICENSE.identifier), 'licenses', 'malformed');
  });

  it('treats a 404 to a list query as a wrong URL, not as no licences', async () => {
    const error = await unavailable(new HttpLicenseLibrary(options('gone')).byHolder(LICENSE.holderCode), 'licenses', 'status');
    expect(error.message).to.contain('LICENSE_LIBRARY_URL');
  });

  it('treats a refused connection as unavailable', async () => {
    const closed = await startRegistryService();
    await closed.close();
    await unavailable(new HttpPersonRegistry({ baseUrl: closed.base, timeoutMs: 1000 }).find(PERSON.idNumber), 'persons', 'network');
  });
});
