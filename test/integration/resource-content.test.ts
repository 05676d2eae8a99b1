import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../support/child';
import { startTestServer, type TestServer } from '../support/server';

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'deployments', name), 'utf8');

describe('deployed review tables and forms, read back for the editors', () => {
  let server: TestServer;
  let designer: string;
  before(async () => {
    server = await startTestServer();
    designer = await server.login('designer');
    const form = new FormData();
    form.append('resources', new Blob([fixture('hygiene-permit-review.dmn')]), 'review.dmn');
    form.append('resources', new Blob([fixture('hygiene-permit-review.form')]), 'review.form');
    const deployed = await server.request('POST', '/api/v1/deployments', { token: designer, body: form });
    expect(deployed.status).to.equal(201);
  });
  after(() => server?.close());

  it('returns a decision table and a form exactly as deployed, by version', async () => {
    const dmn = await server.request('GET', '/api/v1/decisions/public-place-hygiene-permit-review/xml', { token: designer });
    expect(dmn.status).to.equal(200);
    expect(dmn.headers.get('content-type')).to.contain('application/xml');
    expect(dmn.text).to.equal(fixture('hygiene-permit-review.dmn'));
    const form = await server.request('GET', '/api/v1/forms/public-place-hygiene-permit-review/json?version=1', { token: designer });
    expect(form.status).to.equal(200);
    expect(form.text).to.equal(fixture('hygiene-permit-review.form'));
  });

  it('answers 404 for an unknown id or version, and 403 to an applicant', async () => {
    expect((await server.request('GET', '/api/v1/decisions/nothing/xml', { token: designer })).status).to.equal(404);
    expect(
      (await server.request('GET', '/api/v1/forms/public-place-hygiene-permit-review/json?version=7', { token: designer })).status,
    ).to.equal(404);
    const applicant = await server.login('applicant1');
    expect((await server.request('GET', '/api/v1/forms/public-place-hygiene-permit-review/json', { token: applicant })).status).to.equal(
      403,
    );
  });
});
