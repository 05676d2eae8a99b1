import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { loadOrCreateJwtSecret } from '../../../server/auth/jwt-secret';
import { createTokens } from '../../../server/auth/tokens';
import { MovableClock } from '../../../server/clock';
import { loadConfig } from '../../../server/config';
import { AppError } from '../../../server/errors';

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('auth: tokens', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-tokens-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a generated development secret in <dataDir>/keys/jwt-secret, readable by the owner only, the same at every start', () => {
    const first = loadOrCreateJwtSecret(dataDir);
    const file = path.join(dataDir, 'keys', 'jwt-secret');
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(first.length).to.be.at.least(32);
    expect(loadOrCreateJwtSecret(dataDir)).to.equal(first);
  });

  it('issues HS256 tokens with sub, name, iss, iat and exp from the platform clock, and verifies them until they expire', async () => {
    const clock = new MovableClock(() => new Date('2030-01-01T00:00:00Z'));
    const tokens = createTokens({ config: loadConfig({}, { dataDir, tokenTtlSeconds: 60 }), clock });
    const token = await tokens.issue({ id: 'applicant1', name: '张伟' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).to.deep.equal({ sub: 'applicant1', name: '张伟', iss: 'approvals-platform', iat: 1893456000, exp: 1893456060 });
    expect(await tokens.verify(token)).to.deep.equal({ userId: 'applicant1' });
    clock.advance(61_000);
    const expired = await refusal(tokens.verify(token));
    expect([expired.status, expired.code]).to.deep.equal([401, 'UNAUTHORIZED']);
    expect(expired.message).to.contain('expired');
  });

  it('refuses tokens of another secret, another issuer, no signature, or no token shape at all', async () => {
    const clock = new MovableClock();
    const config = loadConfig({}, { dataDir, jwtSecret: 'a'.repeat(40) });
    const tokens = createTokens({ config, clock });
    const now = Math.floor(Date.now() / 1000);
    const sign = (secret: string, issuer: string) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setIssuer(issuer).setIssuedAt(now).setExpirationTime(now + 60).sign(new TextEncoder().encode(secret));
    const unsigned = (await sign('a'.repeat(40), config.jwtIssuer)).split('.').slice(0, 2).join('.') + '.';
    const noneAlg = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${(await sign('a'.repeat(40), config.jwtIssuer)).split('.')[1]}.`;
    for (const token of [await sign('b'.repeat(40), config.jwtIssuer), await sign('a'.repeat(40), 'someone-else'), unsigned, noneAlg, 'garbage', '']) {
      const error = await refusal(tokens.verify(token));
      expect(error.status, token).to.equal(401);
    }
    expect(await tokens.verify(await sign('a'.repeat(40), config.jwtIssuer))).to.deep.equal({ userId: 'admin' });
  });

  it('in production has no secret of its own unless JWT_SECRET is set: it issues nothing and writes no key file', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWKS_URL: 'http://127.0.0.1:9/jwks' }, { dataDir });
    const tokens = createTokens({ config, clock: new MovableClock() });
    expect(tokens.canIssue).to.equal(false);
    expect(fs.existsSync(path.join(dataDir, 'keys', 'jwt-secret'))).to.equal(false);
  });
});
