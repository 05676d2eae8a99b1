import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type express from 'express';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { createAuth } from '../../server/auth/auth';
import { DEMO_USERS, seedDemoUsers } from '../../server/auth/demo-users';
import { readRoutePolicies } from '../../server/auth/policy';
import type { Principal } from '../../server/auth/principal';
import type { AuditEntry } from '../../server/audit/audit-log';
import { AppError } from '../../server/errors';
import { startTestServer, type Reply, type TestServer } from '../support/server';

const LOGIN = '/api/v1/auth/login';
const FIFTEEN_MINUTES = 15 * 60 * 1000;

function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status, reply.text).to.equal(status);
  expect(reply.body).to.have.keys('error');
  expect(reply.body.error.code).to.equal(code);
  expect(reply.body.error.message).to.be.a('string').and.not.equal('');
  expect(reply.text).not.to.match(/at .*\.(ts|js):\d+/);
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

describe('auth: sign-in and route authorization', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.close());

  const login = (username: string, password: string) => server.request('POST', LOGIN, { json: { username, password } });

  it('signs in each demo user of API.md with the password demo', async () => {
    for (const demo of DEMO_USERS) {
      const reply = await login(demo.username, 'demo');
      expect(reply.status, `${demo.username}: ${reply.text}`).to.equal(200);
      expect(reply.body.token).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(reply.body.user).to.include({ id: demo.username, username: demo.username, name: demo.name, kind: demo.kind });
      expect(reply.body.user.roles).to.deep.equal([...new Set(demo.grants.map(([role]) => role))].sort());
    }
  });

  it('refuses a wrong password and an unknown user alike: 401 INVALID_CREDENTIALS in the error shape', async () => {
    const wrong = await login('applicant1', 'not-demo');
    const unknown = await login('no-such-user', 'demo');
    expectError(wrong, 401, 'INVALID_CREDENTIALS');
    expectError(unknown, 401, 'INVALID_CREDENTIALS');
    expect(unknown.body).to.deep.equal(wrong.body);
    await server.login('applicant1');
  });

  it('takes comparable time for an unknown user and a wrong password (both check a scrypt hash)', async () => {
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      wrong.push((await timed(() => login('applicant2', `wrong-${i}`)))[1]);
      unknown.push((await timed(() => login('nobody-at-all', `wrong-${i}`)))[1]);
    }
    expect(Math.min(...unknown)).to.be.greaterThan(Math.min(...wrong) / 3);
    await login('applicant2', 'demo');
  });

  it('appends each failed sign-in to the audit log with the ip and the reason', async () => {
    const audit = server.running.platform.audit;
    const entries: AuditEntry[] = [];
    const original = audit.append;
    audit.append = async (entry) => {
      entries.push(entry);
    };
    try {
      await login('enterprise1', 'nope');
      await login('ghost', 'nope');
    } finally {
      audit.append = original;
    }
    expect(entries).to.have.length(2);
    expect(entries[0]).to.deep.include({ actor: 'anonymous', action: 'auth.login-failed', entityType: 'user', entityId: 'enterprise1' });
    expect(entries[0].data).to.deep.equal({ ip: entries[0].data!.ip, reason: 'wrong-password' });
    expect(entries[0].data!.ip).to.match(/127\.0\.0\.1/);
    expect(entries[1].data!.reason).to.equal('unknown-user');

    await login('enterprise1', 'still wrong');
    await audit.flush();
    const rows = await server.running.platform.db.knex('audit_log').where({ action: 'auth.login-failed', entity_id: 'enterprise1' });
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ actor: 'anonymous', entity_type: 'user' });
    expect(rows[0].data.reason).to.equal('wrong-password');
    await login('enterprise1', 'demo');
  });

  it('slows each attempt after 3 failures in a row, longer each time', async () => {
    for (let i = 0; i < 3; i++) expect((await login('clerk.transport', 'wrong')).status).to.equal(401);
    const [fourth, fourthMs] = await timed(() => login('clerk.transport', 'wrong'));
    const [fifth, fifthMs] = await timed(() => login('clerk.transport', 'wrong'));
    expect([fourth.status, fifth.status]).to.deep.equal([401, 401]);
    expect(fourthMs).to.be.at.least(240);
    expect(fifthMs).to.be.at.least(490);
    expect((await login('clerk.transport', 'demo')).status).to.equal(200);
    const rows = await server.running.platform.db.knex('login_attempts').where({ username: 'clerk.transport' });
    expect(rows, 'a success clears the count').to.deep.equal([]);
  });

  it('answers 401 for no token, a token that is not one, another scheme, and a token of another secret', async () => {
    expectError(await server.request('GET', '/api/v1/auth/me'), 401, 'UNAUTHORIZED');
    expectError(await server.request('GET', '/api/v1/auth/me', { token: 'garbage' }), 401, 'UNAUTHORIZED');
    expectError(
      await server.request('GET', '/api/v1/auth/me', { headers: { authorization: 'Basic YWRtaW46ZGVtbw==' } }),
      401,
      'UNAUTHORIZED',
    );
    const forged = await new SignJWT({ name: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setIssuer(server.running.platform.config.jwtIssuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('f'.repeat(48)));
    expectError(await server.request('GET', '/api/v1/audit/verify', { token: forged }), 401, 'UNAUTHORIZED');
  });

  it('keeps the generated development secret in <dataDir>/keys/jwt-secret with mode 0600', () => {
    const file = path.join(server.database.dataDir, 'keys', 'jwt-secret');
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('gives /auth/me the user with department and roles', async () => {
    const clerk = await server.request('GET', '/api/v1/auth/me', { token: await server.login('clerk.health') });
    expect(clerk.status).to.equal(200);
    expect(clerk.body).to.deep.equal({
      id: 'clerk.health',
      username: 'clerk.health',
      name: '卫健窗口',
      kind: 'staff',
      department: 'health',
      roles: ['clerk'],
      idNumber: null,
      uscc: null,
    });
    const chief = await server.request('GET', '/api/v1/auth/me', { token: await server.login('chief.health') });
    expect(chief.body).to.include({ department: 'health' });
    expect(chief.body.roles).to.deep.equal(['approver', 'clerk']);
    const person = await server.request('GET', '/api/v1/auth/me', { token: await server.login('applicant2') });
    expect(person.body).to.include({ kind: 'person', department: null, idNumber: '11010519491231002X' });
    const enterprise = await server.request('GET', '/api/v1/auth/me', { token: await server.login('enterprise2') });
    expect(enterprise.body).to.include({ kind: 'enterprise', uscc: '91350100M000100Y43', name: '福建通达危险货物运输有限公司' });
  });

  it('refuses an applicant a designer route with 403 FORBIDDEN, and lets the designer past', async () => {
    const applicant = await server.request('POST', '/api/v1/deployments', { token: await server.login('applicant1') });
    expectError(applicant, 403, 'FORBIDDEN');
    const designer = await server.request('POST', '/api/v1/deployments', { token: await server.login('designer') });
    expect(designer.status, designer.text).not.to.be.oneOf([401, 403]);
  });

  it('refuses a clerk of health the designer routes and the admin routes', async () => {
    const token = await server.login('clerk.health');
    expectError(await server.request('GET', '/api/v1/processes', { token }), 403, 'FORBIDDEN');
    expectError(await server.request('POST', '/api/v1/deployments', { token }), 403, 'FORBIDDEN');
    expectError(await server.request('GET', '/api/v1/audit/verify', { token }), 403, 'FORBIDDEN');
  });

  it('lets the admin past on any /api/v1 route, e.g. /audit/verify', async () => {
    const token = await server.login('admin');
    const reply = await server.request('GET', '/api/v1/audit/verify', { token });
    expect(reply.status, reply.text).not.to.be.oneOf([401, 403]);
    expect((await server.request('GET', '/api/v1/processes', { token })).status).not.to.be.oneOf([401, 403]);
  });

  it('refuses a disabled user both a new sign-in and the tokens it already holds', async () => {
    const token = (await login('clerk.culture', 'demo')).body.token;
    const knex = server.running.platform.db.knex;
    await knex('users').where({ id: 'clerk.culture' }).update({ disabled: true });
    try {
      expectError(await server.request('GET', '/api/v1/auth/me', { token }), 401, 'UNAUTHORIZED');
      expectError(await login('clerk.culture', 'demo'), 401, 'INVALID_CREDENTIALS');
    } finally {
      await knex('users').where({ id: 'clerk.culture' }).update({ disabled: false });
    }
  });

  it('replaces the route policies at every start and keeps who holds which role; seeding again adds nothing', async () => {
    const { db, config, clock, audit, log } = server.running.platform;
    const knex = db.knex;
    const count = async (table: string, where: Record<string, string> = {}) =>
      Number((await knex(table).where(where).count({ n: '*' }))[0].n);
    await knex('casbin_rule').insert({ ptype: 'p', v0: 'applicant', v1: '*', v2: '/api/v1/*', v3: '.*' });
    const [grants, users] = [await count('casbin_rule', { ptype: 'g' }), await count('users')];

    const restarted = await createAuth({ knex, config, clock, audit, log });
    await seedDemoUsers(knex, restarted);

    expect(await count('casbin_rule', { ptype: 'p' })).to.equal((await readRoutePolicies()).length);
    expect(await count('casbin_rule', { ptype: 'p', v2: '/api/v1/*', v0: 'applicant' })).to.equal(0);
    expect(await count('casbin_rule', { ptype: 'g' })).to.equal(grants);
    expect(await count('users')).to.equal(users);
    expect(await restarted.enforcer.enforce('applicant1', '*', '/api/v1/audit/verify', 'GET')).to.equal(false);
    expect(await restarted.enforcer.enforce('clerk.health', 'health', '/api/v1/tasks', 'GET')).to.equal(true);
    await restarted.enforcer.savePolicy().then(
      () => expect.fail('savePolicy would have dropped casbin_rule'),
      (error: Error) => expect(error.message).to.contain('drop'),
    );
    expect(await count('casbin_rule', { ptype: 'g' })).to.equal(grants);
  });

  describe('the security handler itself', () => {
    const fakeRequest = (token: string, path: string, security?: Record<string, unknown>[]) =>
      ({
        headers: { authorization: `Bearer ${token}` },
        method: 'POST',
        originalUrl: path,
        openapi: { schema: security ? { security } : {} },
      }) as unknown as express.Request;

    it('on a route with optional sign-in, names the caller of a valid token and lets a bad token through as anonymous', async () => {
      const auth = server.running.platform.auth;
      const optional = [{}, { bearerAuth: [] }];
      const signedIn = fakeRequest(await server.login('designer'), '/api/v1/matters/x/guidance', optional);
      expect(await auth.securityHandler(signedIn, [], {})).to.equal(true);
      expect(signedIn.principal).to.include({ id: 'designer' });
      const anonymous = fakeRequest('garbage', '/api/v1/matters/x/guidance', optional);
      expect(await auth.securityHandler(anonymous, [], {})).to.equal(false);
      expect(anonymous.principal).to.equal(undefined);
    });

    it('on a required route throws AppError 403 for a route the role lacks', async () => {
      const req = fakeRequest(await server.login('applicant1'), '/api/v1/messages?x=1');
      const error = await server.running.platform.auth.securityHandler(req, [], {}).then(
        () => expect.fail('let through'),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).status).to.equal(403);
    });

    it('can(): holds staff to their department; a user named like a role holds only the role it is granted', async () => {
      const auth = server.running.platform.auth;
      const principal = (id: string, department: string | null): Principal => ({
        id,
        username: id,
        name: id,
        kind: 'staff',
        department,
        roles: [],
        idNumber: null,
        uscc: null,
      });
      expect(await auth.can(principal('clerk.health', 'health'), 'health', '/api/v1/tasks/t1/claim', 'POST')).to.equal(true);
      expect(await auth.can(principal('clerk.health', 'health'), 'culture', '/api/v1/tasks/t1/claim', 'POST')).to.equal(false);
      expect(await auth.can(principal('admin', null), 'transport', '/api/v1/tasks/t1/claim', 'POST')).to.equal(true);
      expect(await auth.can(principal('approver', 'health'), 'health', '/api/v1/tasks', 'GET')).to.equal(false);
    });
  });
});

describe('auth: time (token expiry and lockout)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ tokenTtlSeconds: 3600 });
  });
  after(() => server?.close());

  const login = (username: string, password: string) => server.request('POST', LOGIN, { json: { username, password } });

  it('refuses a token once the platform clock passes its expiry', async () => {
    const token = (await login('applicant1', 'demo')).body.token;
    expect((await server.request('GET', '/api/v1/auth/me', { token })).status).to.equal(200);
    // The clock also moves with real time, hence a margin of a minute on the near side.
    server.clock.advance(3540_000);
    expect((await server.request('GET', '/api/v1/auth/me', { token })).status).to.equal(200);
    server.clock.advance(62_000);
    const expired = await server.request('GET', '/api/v1/auth/me', { token });
    expectError(expired, 401, 'UNAUTHORIZED');
    expect(expired.body.error.message).to.contain('expired');
    const fresh = (await login('applicant1', 'demo')).body.token;
    expect((await server.request('GET', '/api/v1/auth/me', { token: fresh })).status).to.equal(200);
  });

  it('after 10 failures refuses even the right password with 429 and Retry-After for 15 minutes, then lets it in again', async function () {
    this.timeout(30_000);
    // In parallel: each attempt is counted before its password is checked, so none slips past the limit.
    const failures = await Promise.all(Array.from({ length: 10 }, (_, i) => login('chief.health', `wrong-${i}`)));
    expect(failures.map((r) => r.status)).to.deep.equal(Array(10).fill(401));

    const locked = await login('chief.health', 'demo');
    expectError(locked, 429, 'TOO_MANY_REQUESTS');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).to.be.within(840, 900);
    expect(locked.body.error.details).to.deep.equal({ retryAfterSeconds: retryAfter });

    server.clock.advance(FIFTEEN_MINUTES - 60_000);
    const stillLocked = await login('chief.health', 'demo');
    expectError(stillLocked, 429, 'TOO_MANY_REQUESTS');
    expect(Number(stillLocked.headers.get('retry-after'))).to.be.within(1, 60);
    expect((await login('clerk.health', 'demo')).status, 'other usernames are not locked').to.equal(200);

    server.clock.advance(61_000);
    const again = await login('chief.health', 'demo');
    expect(again.status, again.text).to.equal(200);
    expect((await server.request('GET', '/api/v1/auth/me', { token: again.body.token })).body.username).to.equal('chief.health');
  });

  it('locks an unknown username the same way, so a lock tells nothing about who exists', async function () {
    this.timeout(30_000);
    await Promise.all(Array.from({ length: 10 }, () => login('guess-who', 'x')));
    expectError(await login('guess-who', 'x'), 429, 'TOO_MANY_REQUESTS');
  });
});

describe('auth: tokens of an identity provider (JWKS)', () => {
  let jwks: http.Server;
  let jwksUrl: string;
  let providerKey: CryptoKey;
  let otherKey: CryptoKey;
  let server: TestServer;

  const providerToken = (claims: Record<string, unknown>, key = providerKey, expiresIn: number | string = '10m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
      .setIssuer('https://idp.example.gov')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);

  before(async () => {
    const pair = await generateKeyPair('ES256');
    providerKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    jwks = http.createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    server = await startTestServer({ jwksUrl });
  });
  after(async () => {
    await server?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it("accepts a provider token naming a user by preferred_username, with that user's roles", async () => {
    const token = await providerToken({ sub: 'f3a9c2', preferred_username: 'clerk.health' });
    const me = await server.request('GET', '/api/v1/auth/me', { token });
    expect(me.status, me.text).to.equal(200);
    expect(me.body).to.include({ id: 'clerk.health', department: 'health' });
    expectError(await server.request('POST', '/api/v1/deployments', { token }), 403, 'FORBIDDEN');
  });

  it('falls back to sub when the token has no preferred_username', async () => {
    const me = await server.request('GET', '/api/v1/auth/me', { token: await providerToken({ sub: 'designer' }) });
    expect(me.status, me.text).to.equal(200);
    expect(me.body.roles).to.deep.equal(['designer']);
  });

  it('refuses a token signed with another key, an expired one, and one naming no user of ours', async () => {
    const forged = await providerToken({ preferred_username: 'admin' }, otherKey);
    expectError(await server.request('GET', '/api/v1/audit/verify', { token: forged }), 401, 'UNAUTHORIZED');
    const past = Math.floor(Date.now() / 1000) - 60;
    expectError(
      await server.request('GET', '/api/v1/auth/me', { token: await providerToken({ preferred_username: 'admin' }, providerKey, past) }),
      401,
      'UNAUTHORIZED',
    );
    expectError(
      await server.request('GET', '/api/v1/auth/me', { token: await providerToken({ preferred_username: 'stranger' }) }),
      401,
      'UNAUTHORIZED',
    );
  });

  it("still accepts the platform's own tokens alongside", async () => {
    const me = await server.request('GET', '/api/v1/auth/me', { token: await server.login('applicant1') });
    expect(me.status).to.equal(200);
  });

  it('in production with only the provider configured, turns password sign-in off and takes provider tokens', async () => {
    const production = await startTestServer({ nodeEnv: 'production', production: true, jwksUrl });
    try {
      expectError(
        await production.request('POST', LOGIN, { json: { username: 'admin', password: 'demo' } }),
        403,
        'PASSWORD_LOGIN_DISABLED',
      );
      const me = await production.request('GET', '/api/v1/auth/me', { token: await providerToken({ preferred_username: 'admin' }) });
      expect(me.status, me.text).to.equal(200);
      expect(fs.existsSync(path.join(production.database.dataDir, 'keys', 'jwt-secret'))).to.equal(false);
    } finally {
      await production.close();
    }
  });
});

describe('auth: production mode', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ nodeEnv: 'production', production: true, jwtSecret: 'p'.repeat(48) });
  });
  after(() => server?.close());

  it('refuses the demo password for every user, even though the demo users exist', async () => {
    for (const username of ['applicant1', 'admin']) {
      expectError(await server.request('POST', LOGIN, { json: { username, password: 'demo' } }), 401, 'INVALID_CREDENTIALS');
    }
  });

  it('signs in a user whose password is a real one', async () => {
    const { auth, db } = server.running.platform;
    await db
      .knex('users')
      .where({ id: 'enterprise1' })
      .update({ password_hash: await auth.hashPassword('a real passphrase') });
    const reply = await server.request('POST', LOGIN, { json: { username: 'enterprise1', password: 'a real passphrase' } });
    expect(reply.status, reply.text).to.equal(200);
    expect(reply.body.user).to.include({ id: 'enterprise1', kind: 'enterprise' });
  });
});
