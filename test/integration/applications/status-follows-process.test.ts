import { expect } from 'chai';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';

/**
 * End to end through the API only, on the real processes of processes/ and every real worker: the application's
 * status follows its process, from submission to the automatic decision.
 */
describe('Applications: the status follows the process (real processes, real workers)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let enterprise1: string;

  before(async () => {
    server = await startTestServer();
    enterprise1 = await server.login('enterprise1');
  });
  after(() => server?.close());

  const knex = () => server.running.platform.db.knex;

  const typedChange = HYGIENE_CHANGE_FORM;

  async function submittedChange(): Promise<string> {
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id;
    expect(
      (await server.request('PATCH', `/api/v1/applications/${id}`, { token: enterprise1, json: { form: typedChange } })).status,
    ).to.equal(200);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token: enterprise1,
      headers: { 'idempotency-key': `submit-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    return id;
  }

  /** The open jobs of the application's process and its called sub-processes. */
  async function openJobs(applicationId: string): Promise<string[]> {
    const root = await knex()('applications').where({ id: applicationId }).first('process_instance_key');
    if (!root?.process_instance_key) return [];
    const keys = [
      root.process_instance_key,
      ...(await knex()('process_instances').where({ parent_key: root.process_instance_key }).pluck('key')),
    ];
    return knex()('jobs').whereIn('instance_key', keys).whereIn('state', ['activatable', 'activated']).pluck('type');
  }

  const statuses = async (id: string) => (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 })).body;

  it('a clean hygiene-permit change: submitted, reviewing, prefill re-checked, reviewed clean, approved automatically and issued', async () => {
    const id = await submittedChange();
    const view = await eventually(
      () => statuses(id),
      // The archive is the last step: the timeline is whole once it is there.
      (v) => v.status === 'approved' && v.result !== null && v.timeline.some((e: any) => e.kind === 'archive'),
      20_000,
    );
    const kinds = view.timeline.map((e: any) => `${e.kind}${e.status ? `:${e.status}` : ''}`);
    expect(kinds.slice(0, 6)).to.deep.equal([
      'created:draft',
      'status:submitted',
      'status:reviewing',
      'prefill',
      'review',
      'status:approved',
    ]);
    expect(kinds).to.include.members(['documents', 'license', 'notice']);
    expect(view.timeline[3].message).to.equal('复核共享数据：与申请时一致');
    expect(view.findings).to.deep.equal([]);
    // The archive job completes just after its package and timeline entry are written.
    expect(
      await eventually(
        () => openJobs(id),
        (jobs) => jobs.length === 0,
      ),
    ).to.deep.equal([]);
    const list = await server.request('GET', '/api/v1/applications?status=approved', { token: enterprise1 });
    expect(list.body.map((a: any) => a.id)).to.include(id);
  });

  it('a licence revoked after submission: the prefill re-check notes it, the review blocks on HP-R02 and a clerk decides', async () => {
    const id = await submittedChange();
    const application = await knex()('applications').where({ id }).first('license_id');
    // Revoked between the draft and the process's re-check (the e-licence library is authoritative).
    await knex()('licenses').where({ id: application.license_id }).update({ status: 'revoked' });
    try {
      const view = await eventually(
        () => statuses(id),
        (v) => v.status === 'manual_review' || v.status === 'rejected',
      );
      expect(view.status, 'what the review table checks is not refused automatically').to.equal('manual_review');
      // (HP-R04 too once the clean change above has issued the new representative: nothing left to change.)
      expect(view.findings.map((f: any) => `${f.point}:${f.severity}`)).to.include('HP-R02:block');
      const recheck = view.timeline.find((e: any) => e.kind === 'eligibility');
      expect(recheck.message).to.include('已吊销或撤销').and.include('将在审查中核验');
      expect(await knex()('notifications').where({ application_id: id, template: 'not-eligible' })).to.deep.equal([]);
    } finally {
      await knex()('licenses').where({ id: application.license_id }).update({ status: 'valid' });
    }
  });

  it('a change of employer waits for the employee, and once they confirm is approved automatically and their certificate re-issued', async () => {
    const created = await server.request('POST', '/api/v1/applications', {
      token: await server.login('enterprise3'),
      json: {
        matter: 'dangerous-goods-staff-employer-change',
        action: 'apply',
        answers: { staffCategory: 'driver', certificateOrigin: 'local' },
      },
    });
    const id = created.body.id;
    const enterprise3 = await server.login('enterprise3');
    await server.request('PATCH', `/api/v1/applications/${id}`, {
      token: enterprise3,
      json: {
        form: { staffIdNumber: '360426199101010071', employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' },
      },
    });
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token: enterprise3,
      headers: { 'idempotency-key': `submit-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    await eventually(
      () => server.request('GET', `/api/v1/applications/${id}`, { token: enterprise3 }),
      (reply) => reply.body.status === 'awaiting_confirmation',
    );
    const asked = await eventually(
      () => knex()('notifications').where({ application_id: id, template: 'confirmation-requested' }),
      (rows) => rows.length > 0,
    );
    expect(asked.map((n) => n.recipient)).to.include('person:360426199101010071');
    const employee = await server.login('applicant1');
    const [pending] = (await server.request('GET', '/api/v1/confirmations', { token: employee })).body.filter(
      (c: any) => c.applicationId === id,
    );
    const confirmed = await server.request('POST', `/api/v1/confirmations/${pending.token}`, { token: employee, json: { accept: true } });
    expect(confirmed.status, confirmed.text).to.equal(200);
    const view = await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise3 })).body,
      (v) => v.status === 'approved' && v.result !== null,
      20_000,
    );
    expect(view.timeline.map((e: any) => e.kind)).to.include('confirmation');
    // The employee's qualification certificate, re-issued with the new employer.
    const certificate = await knex()('licenses').where({ id: view.result.licenseId }).first('holder_code', 'data', 'version');
    expect(certificate.holder_code).to.equal('360426199101010071');
    expect(certificate.data.employerName).to.equal('福州顺安危险货物运输有限公司');
  });
});
