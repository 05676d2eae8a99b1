import { expect } from 'chai';
import type { Enforcer } from 'casbin';
import { DEMO_USERS } from '../../../server/auth/demo-users';
import { createEnforcer, domainMatches, readRoutePolicies } from '../../../server/auth/policy';

/** The decision the security handler makes: the user, in its department (or `*`), on the request path and method. */
function routeDecision(enforcer: Enforcer, username: string, method: string, path: string): Promise<boolean> {
  const user = DEMO_USERS.find((u) => u.username === username);
  return enforcer.enforce(username, user?.department ?? '*', path, method);
}

describe('auth: route policy (model.conf + policy.csv, no server)', () => {
  let enforcer: Enforcer;
  before(async () => {
    enforcer = await createEnforcer();
    await enforcer.addPolicies(await readRoutePolicies());
    await enforcer.addNamedGroupingPolicies('g', DEMO_USERS.flatMap((u) => u.grants.map(([role, domain]) => [u.username, role, domain])));
  });

  const allowed: [string, string, string][] = [
    ['applicant1', 'GET', '/api/v1/auth/me'],
    ['applicant1', 'POST', '/api/v1/applications'],
    ['applicant1', 'GET', '/api/v1/applications'],
    ['applicant1', 'PATCH', '/api/v1/applications/a1'],
    ['enterprise1', 'POST', '/api/v1/applications/a1/materials'],
    ['applicant2', 'POST', '/api/v1/applications/a1/submit'],
    ['applicant2', 'POST', '/api/v1/applications/a1/corrections'],
    ['applicant2', 'POST', '/api/v1/applications/a1/withdraw'],
    ['applicant2', 'GET', '/api/v1/confirmations'],
    ['applicant1', 'GET', '/api/v1/applications/a1/qr.png'],
    ['applicant1', 'GET', '/api/v1/resume/R2X9'],
    ['applicant1', 'POST', '/api/v1/confirmations/tok'],
    ['enterprise2', 'GET', '/api/v1/licenses'],
    ['enterprise2', 'GET', '/api/v1/licenses/l1'],
    ['enterprise2', 'GET', '/api/v1/licenses/l1/pdf'],
    ['clerk.health', 'GET', '/api/v1/tasks'],
    ['clerk.culture', 'POST', '/api/v1/tasks/t1/claim'],
    ['clerk.transport', 'POST', '/api/v1/tasks/t1/unclaim'],
    ['chief.health', 'POST', '/api/v1/tasks/t1/complete'],
    ['clerk.health', 'POST', '/api/v1/applications'],
    ['clerk.health', 'GET', '/api/v1/applications/a1'],
    // a counter draft: the route lets a clerk touch only the drafts they made at the window
    ['clerk.health', 'PATCH', '/api/v1/applications/a1'],
    ['clerk.health', 'POST', '/api/v1/applications/a1/submit'],
    ['clerk.health', 'GET', '/api/v1/resume/R2X9'],
    ['chief.health', 'GET', '/api/v1/licenses/l1/pdf'],
    ['designer', 'POST', '/api/v1/deployments'],
    ['designer', 'GET', '/api/v1/processes'],
    ['designer', 'GET', '/api/v1/processes/food-permit-apply/xml'],
    ['designer', 'GET', '/api/v1/decisions'],
    ['designer', 'GET', '/api/v1/forms'],
    ['designer', 'POST', '/api/v1/process-instances'],
    ['designer', 'GET', '/api/v1/process-instances/2251799813685249'],
    ['designer', 'POST', '/api/v1/process-instances/2251799813685249/cancellation'],
    ['designer', 'POST', '/api/v1/messages'],
    ['admin', 'GET', '/api/v1/audit/verify'],
    ['admin', 'POST', '/api/v1/incidents/7/resolution'],
    ['admin', 'DELETE', '/api/v1/anything/else'],
    ['admin', 'POST', '/api/v1/deployments'],
  ];
  const refused: [string, string, string][] = [
    ['applicant1', 'POST', '/api/v1/deployments'],
    ['applicant1', 'GET', '/api/v1/tasks'],
    ['applicant1', 'POST', '/api/v1/tasks/t1/claim'],
    ['applicant1', 'GET', '/api/v1/audit/verify'],
    ['applicant1', 'DELETE', '/api/v1/applications/a1'],
    ['applicant1', 'GET', '/api/v1/applications/a1/materials'],
    ['applicant1', 'GET', '/api/v1/applications/a1/x/y'],
    ['applicant1', 'POST', '/api/v1/messages'],
    ['applicant1', 'GETX', '/api/v1/applications'],
    ['clerk.health', 'GET', '/api/v1/processes'],
    ['clerk.health', 'POST', '/api/v1/deployments'],
    ['clerk.health', 'GET', '/api/v1/metrics'],
    ['chief.health', 'POST', '/api/v1/process-instances'],
    ['designer', 'GET', '/api/v1/tasks'],
    ['designer', 'GET', '/api/v1/applications'],
    ['designer', 'GET', '/api/v1/audit/verify'],
    ['designer', 'POST', '/api/v1/incidents/7/resolution'],
    ['admin', 'GET', '/healthz'],
    ['nobody', 'GET', '/api/v1/auth/me'],
  ];
  for (const [user, method, path] of allowed) {
    it(`allows ${user} ${method} ${path}`, async () => {
      expect(await routeDecision(enforcer, user, method, path)).to.equal(true);
    });
  }
  for (const [user, method, path] of refused) {
    it(`refuses ${user} ${method} ${path}`, async () => {
      expect(await routeDecision(enforcer, user, method, path)).to.equal(false);
    });
  }

  it('holds a clerk to its own department; a grant in * holds in every department', async () => {
    expect(await enforcer.enforce('clerk.health', 'health', '/api/v1/tasks/t1/complete', 'POST')).to.equal(true);
    expect(await enforcer.enforce('clerk.health', 'culture', '/api/v1/tasks/t1/complete', 'POST')).to.equal(false);
    expect(await enforcer.enforce('chief.health', 'transport', '/api/v1/tasks', 'GET')).to.equal(false);
    expect(await enforcer.enforce('admin', 'culture', '/api/v1/tasks/t1/complete', 'POST')).to.equal(true);
    expect(await enforcer.enforce('applicant1', 'health', '/api/v1/applications', 'POST')).to.equal(true);
  });

  it('matches domains: * grants everywhere, anything else only itself', () => {
    expect(domainMatches('health', '*')).to.equal(true);
    expect(domainMatches('health', 'health')).to.equal(true);
    expect(domainMatches('health', 'culture')).to.equal(false);
    expect(domainMatches('*', 'health')).to.equal(false);
  });

  it('refuses a policy file that assigns roles or lacks a field', async () => {
    await readRoutePolicies('g, alice, admin, *\n').then(
      () => expect.fail('accepted a g row'),
      (error: Error) => expect(error.message).to.contain('database'),
    );
    await readRoutePolicies('p, clerk, *, /api/v1/tasks\n').then(
      () => expect.fail('accepted a short row'),
      (error: Error) => expect(error.message).to.contain('must have'),
    );
  });
});
