import { expect } from 'chai';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Knex } from 'knex';
import path from 'node:path';
import { OPENAPI_PATH } from '../../server/app';
import type { Principal } from '../../server/auth/principal';
import { MovableClock } from '../../server/clock';
import { errorHandler, unknownRoute } from '../../server/http/error-handler';
import { loadMatters } from '../../server/matters/catalog';
import { platformEligibility, registryExemptions } from '../../server/matters/platform-sources';
import { createRegistries } from '../../server/registries';
import { seedRegistries } from '../../server/registries/seed';
import { matterRoutes, type MatterRouteDeps } from '../../server/routes/matters';
import { request, startTestServer, type Reply, type TestServer } from '../support/server';
import { LICENSE, fakeSources } from '../unit/matters/fake-sources';

const USCC = '91110000600037341L';
const enterprise1: Principal = {
  id: 'enterprise1',
  username: 'enterprise1',
  name: '上海明德餐饮管理有限公司',
  kind: 'enterprise',
  department: null,
  roles: ['applicant'],
  idNumber: null,
  uscc: USCC,
};

type SecurityHandler = (req: express.Request, scopes: string[], schema: unknown) => Promise<boolean>;

/** A stand-in for the bearer check: the token "enterprise1" names that demo user. */
const standInSecurity: SecurityHandler = async (req) => {
  const known = req.headers.authorization === 'Bearer enterprise1';
  if (known) req.principal = enterprise1;
  return known;
};

const standInSources = () =>
  fakeSources({
    enterprises: { [USCC]: { name: enterprise1.name, active: true, status: '存续' } },
    licenses: {
      [USCC]: [
        { id: 'biz', number: USCC, status: 'valid', validUntil: null, type: LICENSE.business },
        { id: 'hp', number: '京卫公证字〔2024〕第0301号', status: 'valid', validUntil: '2027-05-31', type: LICENSE.hygiene },
      ],
    },
  });

/** The catalog routes behind the same OpenAPI validation and error handler as server/app.ts. */
function catalogApp(
  bearerAuth: SecurityHandler = standInSecurity,
  sources: Pick<MatterRouteDeps, 'exemptions' | 'eligibility'> = standInSources(),
  clock = new MovableClock(() => new Date('2026-03-02T02:00:00Z')),
): express.Express {
  const app = express();
  app.use('/api', express.json());
  app.use(
    '/api',
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, allErrors: true },
      validateResponses: false,
      validateSecurity: { handlers: { bearerAuth } },
      ignoreUndocumented: false,
    }),
  );
  app.use('/api/v1', matterRoutes({ matters: loadMatters(path.resolve('processes')), clock, ...sources }));
  app.use(unknownRoute);
  app.use(errorHandler(() => {}));
  return app;
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const fullChange = { action: 'change', answers: { changeItems: ['unit-name'], agent: 'self' } };

describe('catalog and guidance over HTTP', () => {
  let server: Server;
  let url: string;
  const call = <T = any>(method: string, route: string, options: Parameters<typeof request>[3] = {}): Promise<Reply<T>> =>
    request<T>(url, method, `/api/v1${route}`, options);

  before(async () => {
    ({ server, url } = await listen(catalogApp()));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('GET /matters lists the three matters in the shape of API.md, without a token', async () => {
    const reply = await call('GET', '/matters');
    expect(reply.status).to.equal(200);
    expect(reply.body.map((m: { slug: string }) => m.slug)).to.have.members([
      'public-place-hygiene-permit',
      'publication-licence-reissue',
      'dangerous-goods-staff-employer-change',
    ]);
    expect(reply.body.find((m: { slug: string }) => m.slug === 'public-place-hygiene-permit')).to.deep.include({
      code: '000172011000',
      actions: ['apply', 'change', 'renew', 'cancel'],
      autoApproval: { apply: false, change: true, renew: false, cancel: true },
    });
  });

  it('GET /matters/{slug} gives the guide', async () => {
    const reply = await call('GET', '/matters/public-place-hygiene-permit');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.include({ name: '公共场所卫生许可', type: '行政许可' });
    expect(reply.body.actions.change.promisedTimeLimit).to.deep.equal({ value: 1, unit: 'working-day' });
    expect(reply.body.actions.change.fields).to.have.length(21);
    expect(reply.body.reviewPoints[0]).to.have.keys(['id', 'text', 'severity', 'hint', 'actions']);
  });

  it('answers 404 for an unknown matter and 400 for a slug that cannot be one', async () => {
    const unknown = await call('GET', '/matters/no-such-matter');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('NOT_FOUND');
    expect((await call('POST', '/matters/no-such-matter/guidance', { json: fullChange })).status).to.equal(404);
    const malformed = await call('GET', '/matters/Not_A_Slug');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.code).to.equal('VALIDATION_FAILED');
  });

  it('guides an anonymous caller: next question and materials, no pre-check', async () => {
    const reply = await call('POST', '/matters/public-place-hygiene-permit/guidance', { json: { action: 'change' } });
    expect(reply.status).to.equal(200);
    expect(reply.body.nextQuestion.id).to.equal('changeItems');
    expect(reply.body.situation).to.equal(null);
    expect(reply.body).to.not.have.property('eligible');
  });

  it('checks a signed-in caller and exempts what it holds', async () => {
    const reply = await call('POST', '/matters/public-place-hygiene-permit/guidance', { json: fullChange, token: 'enterprise1' });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.include({ eligible: true });
    expect(reply.body.materials.find((m: { code: string }) => m.code === 'HP-12').exemptBecause).to.contain('电子证照库');
  });

  it('treats a token it cannot read as no token on this public route', async () => {
    const reply = await call('POST', '/matters/public-place-hygiene-permit/guidance', { json: fullChange, token: 'garbage' });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.not.have.property('eligible');
  });

  describe('should NOT take a bad request: 400 naming each field', () => {
    const guidance = (json: unknown, body?: string) =>
      call(
        'POST',
        '/matters/publication-licence-reissue/guidance',
        body ? { body, headers: { 'content-type': 'application/json' } } : { json },
      );

    it('an action no matter has, and one this matter lacks', async () => {
      const none = await guidance({ action: 'transfer' });
      expect(none.status).to.equal(400);
      expect(none.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['body.action']);
      const lacking = await guidance({ action: 'renew' });
      expect(lacking.status).to.equal(400);
      expect(lacking.body.error.details).to.deep.equal([{ field: 'body.action', message: 'must be one of apply' }]);
    });

    it('answers to unknown questions and values not offered', async () => {
      const reply = await guidance({ action: 'apply', answers: { lossType: 'stolen', shoeSize: '42' } });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('VALIDATION_FAILED');
      expect(reply.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal([
        'body.answers.lossType',
        'body.answers.shoeSize',
      ]);
    });

    it('an answer that is not text, a property the body does not have, and JSON that does not parse', async () => {
      const number = await guidance({ action: 'apply', answers: { lossType: 3 } });
      expect(number.status).to.equal(400);
      expect(JSON.stringify(number.body.error.details)).to.contain('body.answers.lossType');
      const extra = await guidance({ action: 'apply', sneaky: true });
      expect(extra.status).to.equal(400);
      const broken = await guidance(undefined, '{"action": ');
      expect(broken.status).to.equal(400);
      expect(broken.body.error.code).to.equal('MALFORMED_JSON');
    });
  });
});

describe("guidance with the platform's own sign-in, registries and applications", () => {
  let platform: TestServer;
  let catalog: { server: Server; url: string };
  let knex: Knex;
  let hygieneLicenseId: string;
  const guidance = (slug: string, json: object, token?: string) =>
    request(catalog.url, 'POST', `/api/v1/matters/${slug}/guidance`, { json, token });
  const renew = { action: 'renew', answers: { renewChanges: 'none', airConditioning: 'no', agent: 'self' } };
  const exempted = (reply: Reply) =>
    reply.body.materials.filter((m: { exemptBecause?: string }) => m.exemptBecause).map((m: { code: string }) => m.code);

  before(async function () {
    this.timeout(60_000);
    platform = await startTestServer();
    knex = platform.running.platform.db.knex;
    const { clock } = platform;
    await seedRegistries(knex, { today: clock.now() });
    const registries = createRegistries(knex, {});
    const sources = { exemptions: registryExemptions(registries, clock), eligibility: platformEligibility(registries, knex) };
    catalog = await listen(catalogApp(platform.running.platform.auth.securityHandler, sources, clock));
    hygieneLicenseId = (await registries.licenses.byHolder(USCC, LICENSE.hygiene))[0].id;
  });
  after(async () => {
    await new Promise((resolve) => catalog.server.close(resolve));
    await platform.close();
  });

  it('lets enterprise1 renew its hygiene permit (60 days left: inside the window) and fetches its licences', async () => {
    const reply = await guidance('public-place-hygiene-permit', renew, await platform.login('enterprise1'));
    expect(reply.status).to.equal(200);
    expect(reply.body).to.include({ eligible: true });
    expect(exempted(reply)).to.deep.equal(['HP-02', 'HP-12', 'HP-14']);
  });

  it('lets enterprise1 ask for its lost publication licence with nothing to upload', async () => {
    const answers = { registrationChanged: 'no', lossType: 'lost', agent: 'self' };
    const reply = await guidance('publication-licence-reissue', { action: 'apply', answers }, await platform.login('enterprise1'));
    expect(reply.body).to.include({ eligible: true });
    expect(exempted(reply)).to.have.length(reply.body.materials.length);
  });

  it('lets enterprise2 change the employer of a driver with all five materials exempted', async () => {
    const answers = { staffCategory: 'driver', certificateOrigin: 'local' };
    const reply = await guidance(
      'dangerous-goods-staff-employer-change',
      { action: 'apply', answers },
      await platform.login('enterprise2'),
    );
    expect(reply.body).to.include({ eligible: true });
    expect(exempted(reply)).to.have.length(5);
  });

  it('refuses enterprise2 a hygiene change: it holds no hygiene permit', async () => {
    const reply = await guidance('public-place-hygiene-permit', fullChange, await platform.login('enterprise2'));
    expect(reply.body.eligible).to.equal(false);
    expect(reply.body.reasons[0]).to.contain('您名下没有《公共场所卫生许可证》');
  });

  it('refuses a second application for a licence with one open, and not for a draft or a decided one', async () => {
    const token = await platform.login('enterprise1');
    const row = {
      id: 'app-open-1',
      matter_slug: 'public-place-hygiene-permit',
      action: 'change',
      department: 'health',
      applicant_id: 'enterprise1',
      status: 'submitted',
      case_number: 'DC20260302000017',
      resume_code: 'RESUME-OPEN-1',
      license_id: hygieneLicenseId,
      created_at: platform.clock.now(),
      updated_at: platform.clock.now(),
    };
    await knex('applications').insert(row);
    try {
      const open = await guidance('public-place-hygiene-permit', renew, token);
      expect(open.body.eligible).to.equal(false);
      expect(open.body.reasons[0]).to.contain('已有一件正在办理的申请（办件编号 DC20260302000017）');
      for (const status of ['draft', 'approved', 'withdrawn']) {
        await knex('applications').where({ id: row.id }).update({ status });
        expect((await guidance('public-place-hygiene-permit', renew, token)).body, status).to.include({ eligible: true });
      }
    } finally {
      await knex('applications').where({ id: row.id }).delete();
    }
  });

  it('does not check a clerk, and lets a person know the matter is for organisations', async () => {
    expect((await guidance('public-place-hygiene-permit', fullChange, await platform.login('clerk.health'))).body).to.not.have.property(
      'eligible',
    );
    const person = await guidance('public-place-hygiene-permit', fullChange, await platform.login('applicant1'));
    expect(person.body.eligible).to.equal(false);
    expect(person.body.reasons[0]).to.contain('法人账号');
  });

  it('answers an expired or forged token as anonymous, not 401', async () => {
    const reply = await guidance('public-place-hygiene-permit', fullChange, 'eyJhbGciOiJIUzI1NiJ9.e30.forged');
    expect(reply.status).to.equal(200);
    expect(reply.body).to.not.have.property('eligible');
  });
});
