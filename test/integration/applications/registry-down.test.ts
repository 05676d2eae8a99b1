import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';

const HYGIENE = 'public-place-hygiene-permit';
const STAFF_CHANGE = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';

/** A loopback HTTP service standing in for a registry: `hang` never answers, `fail` answers 500 to everything. */
async function brokenRegistry(kind: 'hang' | 'fail') {
  const asked: string[] = [];
  const service = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    if (kind === 'fail') res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"database offline"}');
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(service.address() as AddressInfo).port}/registry`,
    asked,
    close: () => {
      service.closeAllConnections();
      return new Promise<void>((resolve) => service.close(() => resolve()));
    },
  };
}

/**
 * The enterprise registry hangs and the person registry answers 500, through the HTTP connectors with a short timeout:
 * drafts are still made and kept, and what those registries would have filled is left to the applicant, with a note.
 */
describe('Applications: a registry down or hanging leaves its fields to the applicant; the draft is never lost', function () {
  this.timeout(60_000);
  let server: TestServer;
  let enterprises: Awaited<ReturnType<typeof brokenRegistry>>;
  let persons: Awaited<ReturnType<typeof brokenRegistry>>;

  before(async () => {
    enterprises = await brokenRegistry('hang');
    persons = await brokenRegistry('fail');
    const saved = { ...process.env };
    // The registries are chosen from the environment at start.
    Object.assign(process.env, { ENTERPRISE_REGISTRY_URL: enterprises.url, PERSON_REGISTRY_URL: persons.url, REGISTRY_TIMEOUT_MS: '300' });
    try {
      server = await startTestServer({ disabledWorkers: ['review'] });
    } finally {
      for (const name of ['ENTERPRISE_REGISTRY_URL', 'PERSON_REGISTRY_URL', 'REGISTRY_TIMEOUT_MS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
  after(async () => {
    await server?.close();
    await enterprises?.close();
    await persons?.close();
  });

  const read = async (id: string, user: string) =>
    (await server.request('GET', `/api/v1/applications/${id}`, { token: await server.login(user) })).body;

  it('makes the hygiene-permit change draft within the timeout, with the enterprise fields open to type and a note; what is typed is kept', async () => {
    const token = await server.login('enterprise1');
    const startedAt = Date.now();
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    expect(Date.now() - startedAt, 'the hanging registry is given up after its timeout').to.be.below(10_000);
    expect(enterprises.asked.length, 'the connector did ask').to.be.greaterThan(0);
    const draft = created.body;
    for (const key of ['unitName', 'uscc', 'legalRepresentative', 'legalRepresentativeIdNumber']) {
      expect(draft.form[key], key).to.deep.equal({ value: null, source: 'applicant', locked: false });
      expect(draft.prefill.toType, key).to.include(key);
    }
    // The e-licence library (embedded here) still answers.
    expect(draft.form.licenseNumber).to.include({ source: 'license', locked: true });
    expect(draft.timeline[0].message).to.include('1个数据源暂时无法查询，相关内容请自行填写');

    const typed = { unitName: '上海明德餐饮管理有限公司', uscc: '91110000600037341L', changeReason: '法定代表人变更' };
    const patched = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token, json: { form: typed } });
    expect(patched.status, patched.text).to.equal(200);
    const kept = await read(draft.id, 'enterprise1');
    expect(kept.status).to.equal('draft');
    for (const [key, value] of Object.entries(typed))
      expect(kept.form[key], key).to.deep.equal({ value, source: 'applicant', locked: false });
    expect(kept.prefill.toType).not.to.include.members(Object.keys(typed));
  });

  it('names the employee when the person registry answers 500: their licence data fills in, their registry data is left to type, noted', async () => {
    const token = await server.login('enterprise3');
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: STAFF_CHANGE, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id;
    const named = await server.request('PATCH', `/api/v1/applications/${id}`, {
      token,
      json: { form: { staffIdNumber: EMPLOYEE_ID, employmentStart: '2026-11-20' } },
    });
    expect(named.status, named.text).to.equal(200);
    expect(persons.asked.some((url) => url.includes('/persons/'))).to.equal(true);
    expect(named.body.form.staffIdNumber).to.deep.equal({ value: EMPLOYEE_ID, source: 'applicant', locked: false });
    expect(named.body.form.employmentStart.value).to.equal('2026-11-20');
    for (const key of ['staffName', 'staffMobile']) {
      expect(named.body.form[key], key).to.deep.equal({ value: null, source: 'applicant', locked: false });
      expect(named.body.prefill.toType).to.include(key);
    }
    expect(named.body.form.qualificationNumber).to.include({ source: 'license', locked: true });
    expect(named.body.timeline.map((e: any) => e.message)).to.include('1个数据源暂时无法查询，从业人员的信息请自行填写');
    const typed = await server.request('PATCH', `/api/v1/applications/${id}`, {
      token,
      json: { form: { staffName: '张伟', staffMobile: '13800001111' } },
    });
    expect(typed.status, typed.text).to.equal(200);
    const kept = await read(id, 'enterprise3');
    expect(kept.form.staffName).to.deep.equal({ value: '张伟', source: 'applicant', locked: false });
    expect(kept.form.staffIdNumber.value).to.equal(EMPLOYEE_ID);
  });
});
