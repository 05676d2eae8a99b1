import fs from 'node:fs';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../support/server';

const HYGIENE = 'public-place-hygiene-permit';
const FORM = `${HYGIENE}-cancel`;
const LABEL = '注销情况说明（停业原因、善后安排）';

/** The repository's cancel.form with the optional note made required and relabelled, as a designer changes it. */
function noteRequired(): string {
  const form = JSON.parse(fs.readFileSync(`processes/${HYGIENE}/cancel.form`, 'utf8'));
  const walk = (components: any[]): boolean =>
    components.some((c) =>
      c.key === 'cancelNote' ? Object.assign(c, { label: LABEL, validate: { ...c.validate, required: true } }) : walk(c.components ?? []),
    );
  if (!walk(form.components)) throw new Error('cancel.form has no cancelNote field');
  return JSON.stringify(form, null, 2);
}

/**
 * Issue 8 "done when", for forms: a designer's change to a matter's form, deployed through `POST /deployments`, reaches
 * the next application: the draft carries the new form (id, version, schema) for channels to render, and submission
 * enforces what it requires; a draft made before keeps the version it was made with.
 */
describe('Applications: the deployed form of the matter reaches the next draft', function () {
  this.timeout(60_000);
  let server: TestServer;
  let token: string;

  before(async () => {
    // No review worker: a submitted case stays open, at its review.
    server = await startTestServer({ disabledWorkers: ['review'] });
    token = await server.login('enterprise1');
  });
  after(() => server?.close());

  const draft = async () => {
    const reply = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'cancel', answers: { cancelReason: 'stopped', agent: 'self' } },
    });
    expect(reply.status, reply.text).to.equal(201);
    const filled = await server.request('PATCH', `/api/v1/applications/${reply.body.id}`, {
      token,
      json: { form: { stopDate: '2026-11-30', contactName: '张明', contactPhone: '13912345678' } },
    });
    expect(filled.status, filled.text).to.equal(200);
    return filled.body;
  };
  const submit = (id: string) =>
    server.request('POST', `/api/v1/applications/${id}/submit`, { token, headers: { 'idempotency-key': `form-${id}` } });

  it('a new draft carries the newly deployed form and must fill the field it makes required; an older draft keeps its version', async () => {
    const older = await draft();
    const before = older.deployedForm.version as number;
    expect(older.deployedForm).to.include({ id: FORM });
    expect(JSON.stringify(older.deployedForm.schema)).not.to.contain(LABEL);

    const body = new FormData();
    body.append('resources', new Blob([noteRequired()]), 'cancel.form');
    const deployed = await server.request('POST', '/api/v1/deployments', { token: await server.login('designer'), body });
    expect(deployed.status, deployed.text).to.equal(201);
    expect(deployed.body.resources).to.deep.include({ id: FORM, kind: 'form', version: before + 1, name: null, fileName: 'cancel.form' });

    const newer = await draft();
    expect(newer.deployedForm).to.include({ id: FORM, version: before + 1 });
    expect(JSON.stringify(newer.deployedForm.schema)).to.contain(LABEL);
    const reread = (await server.request('GET', `/api/v1/applications/${older.id}`, { token })).body;
    expect(reread.deployedForm.version).to.equal(before);

    // The newer draft must fill the note its form now requires; nothing changes while it is refused.
    const refused = await submit(newer.id);
    expect(refused.status, refused.text).to.equal(400);
    expect(refused.body.error.code).to.equal('INCOMPLETE');
    expect(refused.body.error.details).to.deep.equal([{ field: 'form.cancelNote', message: `请填写${LABEL}` }]);
    expect((await server.request('GET', `/api/v1/applications/${newer.id}`, { token })).body.status).to.equal('draft');

    // The older draft was made with the form that did not ask for the note: it goes in without one.
    const olderSubmitted = await submit(older.id);
    expect(olderSubmitted.status, olderSubmitted.text).to.equal(202);
    expect((await server.request('POST', `/api/v1/applications/${older.id}/withdraw`, { token })).status).to.equal(200);

    const noted = await server.request('PATCH', `/api/v1/applications/${newer.id}`, {
      token,
      json: { form: { cancelNote: '门店停业，卫生许可证原件已收回' } },
    });
    expect(noted.status, noted.text).to.equal(200);
    const accepted = await submit(newer.id);
    expect(accepted.status, accepted.text).to.equal(202);
  });
});
