import { SignJWT, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { unauthorized } from '../errors';
import { loadOrCreateJwtSecret } from './jwt-secret';

/** Whom a verified token names: our own tokens carry the user id, an identity provider's the username. */
export type TokenSubject = { userId: string } | { username: string };

export interface Tokens {
  /** False when the platform has no secret of its own (production with an identity provider only). */
  readonly canIssue: boolean;
  issue(user: { id: string; name: string }): Promise<string>;
  /** The subject of a valid token; throws AppError 401 for any token that is not. */
  verify(token: string): Promise<TokenSubject>;
}

const PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

const invalidToken = () => unauthorized('登录凭证无效 (invalid token)');
const expiredToken = () => unauthorized('登录已过期，请重新登录 (token expired)');

export function createTokens({ config, clock }: { config: Config; clock: Clock }): Tokens {
  const secret = config.jwtSecret ?? (config.production ? undefined : loadOrCreateJwtSecret(config.dataDir));
  const key = secret ? new TextEncoder().encode(secret) : undefined;
  const provider: JWTVerifyGetKey | undefined = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : undefined;
  const seconds = () => Math.floor(clock.now().getTime() / 1000);

  async function verifyOwn(token: string): Promise<TokenSubject> {
    if (!key) throw invalidToken();
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: config.jwtIssuer,
      currentDate: clock.now(),
      requiredClaims: ['sub', 'exp'],
    });
    return { userId: payload.sub! };
  }

  async function verifyProvider(token: string): Promise<TokenSubject> {
    if (!provider) throw invalidToken();
    const { payload } = await jwtVerify(token, provider, {
      algorithms: PROVIDER_ALGORITHMS,
      currentDate: clock.now(),
      requiredClaims: ['exp'],
    });
    const username = typeof payload.preferred_username === 'string' ? payload.preferred_username : payload.sub;
    if (!username) throw invalidToken();
    return { username };
  }

  return {
    canIssue: Boolean(key),
    async issue(user) {
      if (!key) throw new Error('No JWT secret: set JWT_SECRET to issue tokens');
      const now = seconds();
      return new SignJWT({ name: user.name })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(config.jwtIssuer)
        .setIssuedAt(now)
        .setExpirationTime(now + config.tokenTtlSeconds)
        .sign(key);
    },
    async verify(token) {
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw invalidToken();
      }
      try {
        return await (alg === 'HS256' ? verifyOwn(token) : verifyProvider(token));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw expiredToken();
        // The provider not answering, or answering nonsense, is our trouble, not a bad token.
        if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
        if (error instanceof errors.JOSEError) throw invalidToken();
        throw error;
      }
    },
  };
}
