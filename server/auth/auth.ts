import crypto from 'node:crypto';
import type { Enforcer } from 'casbin';
import type express from 'express';
import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { AppError, forbidden, unauthorized } from '../errors';
import { keepSecurityFailure } from '../http/error-handler';
import type { Logger } from '../log';
import { LoginThrottle } from './login-throttle';
import { hashPassword } from './passwords';
import { RuleAdapter, createEnforcer, domainMatches, readRoutePolicies, syncRoutePolicies } from './policy';
import type { Principal, PublicUser } from './principal';
import { createSignIn } from './sign-in';
import { createTokens } from './tokens';
import { Users } from './users';

export interface Auth {
  /** The bearerAuth handler of express-openapi-validator: authenticates, sets `req.principal`, enforces the route policy. */
  securityHandler(req: express.Request, scopes: string[], schema: unknown): Promise<boolean>;
  /** A resource-level decision, e.g. whether the caller may complete a task of department `domain`. */
  can(principal: Principal, domain: string, object: string, action: string): Promise<boolean>;
  login(username: string, password: string, ip: string): Promise<{ token: string; user: PublicUser }>;
  hashPassword(password: string): Promise<string>;
  enforcer: Enforcer;
}

interface OpenApiMetadata {
  openapi?: { schema?: { security?: Record<string, unknown>[] } };
}

export async function createAuth(options: { knex: Knex; config: Config; clock: Clock; audit: AuditLog; log: Logger }): Promise<Auth> {
  const { knex, config, clock, audit, log } = options;
  await syncRoutePolicies(knex, await readRoutePolicies());
  const enforcer = await createEnforcer(new RuleAdapter(knex));
  const users = new Users(knex, enforcer);
  const tokens = createTokens({ config, clock });
  if (!tokens.canIssue) log.info('password sign-in is off: no JWT_SECRET, tokens come from the identity provider', { jwksUrl: config.jwksUrl });
  const throttle = new LoginThrottle(knex, clock);
  await throttle.prune();
  const login = createSignIn({ users, tokens, throttle, audit, production: config.production, decoyHash: await hashPassword(crypto.randomUUID()) });

  async function authenticate(req: express.Request): Promise<Principal> {
    const match = /^Bearer +([\w.~+/-]+=*)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw unauthorized();
    const subject = await tokens.verify(match[1]);
    const row = 'userId' in subject ? await users.byId(subject.userId) : await users.byUsername(subject.username);
    if (!row || row.disabled) throw unauthorized('账号不存在或已停用 (no such user, or disabled)');
    return users.principal(row);
  }

  async function can(principal: Principal, domain: string, object: string, action: string): Promise<boolean> {
    // casbin takes a subject named like a role to hold that role everywhere; such a user must really hold it here.
    if ((await enforcer.getAllSubjects()).includes(principal.id)) {
      const held = await enforcer.getFilteredNamedGroupingPolicy('g', 0, principal.id, principal.id);
      if (!held.some(([, , granted]) => domainMatches(domain, granted))) return false;
    }
    return enforcer.enforce(principal.id, domain, object, action);
  }

  async function authorizeRoute(principal: Principal, req: express.Request): Promise<void> {
    // The path Express routes on (query dropped, one trailing slash forgiven), so the decision is about the handler that runs.
    const path = req.originalUrl.split('?')[0].replace(/(.)\/$/, '$1');
    if (!(await can(principal, principal.department ?? '*', path, req.method))) throw forbidden();
  }

  return {
    enforcer,
    login,
    hashPassword,
    can,
    async securityHandler(req) {
      // `security: [{}, {bearerAuth: []}]`: anyone may call; a valid token only says who is calling.
      const optional = ((req as OpenApiMetadata).openapi?.schema?.security ?? []).some((s) => Object.keys(s).length === 0);
      try {
        const principal = await authenticate(req);
        if (!optional) await authorizeRoute(principal, req);
        req.principal = principal;
        return true;
      } catch (error) {
        if (optional) {
          if (!(error instanceof AppError)) log.error('optional sign-in failed', { error });
          return false;
        }
        keepSecurityFailure(req, error);
        throw error;
      }
    },
  };
}
