import os from 'node:os';
import { expect } from 'chai';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { Broker } from './support/broker';
import { FakeCluster } from './support/fake-cluster';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';
const MAIN = `${HYGIENE}-change`;
const WORKER_NAME = `approvals@${os.hostname()}`;
/** Job type, job timeout, jobs at once: the workers' own settings, else WORKER_DEFAULTS. */
const WORKERS: [string, string, number][] = [
  ['status', '30000', 8],
  ['prefill', '30000', 8],
  ['ocr', '180000', 2],
  ['review', '30000', 8],
  ['esign', '60000', 8],
  ['license-publish', '30000', 8],
  ['notify', '30000', 8],
  ['archive', '120000', 2],
];

/**
 * Feature: a 秒批 case on ENGINE=zeebe, with no change to the BPMN files, the workers or the routes.
 * Given the real server on a loopback cluster and every real worker of workers/ registered as a Zeebe job worker,
 * when an enterprise submits a clean hygiene-permit change, and the cluster hands out the jobs of the processes'
 * service tasks in order as a broker would, then the workers answer each job and the application is approved,
 * signed, published and archived with no person involved.
 */
describe('Zeebe: an automatic approval (秒批) of a real matter, driven through the gateway protocol', function () {
  this.timeout(120_000);
  let cluster: FakeCluster;
  let server: TestServer;
  let broker: Broker;

  before(async () => {
    cluster = await FakeCluster.start();
    server = await startTestServer({ engine: 'zeebe', zeebe: cluster.settings() });
    broker = new Broker(cluster);
  });
  after(async () => {
    await server?.close();
    await cluster?.stop();
  });

  async function submitCleanChange(): Promise<string> {
    const token = await server.login('enterprise1');
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id = created.body.id;
    const form = HYGIENE_CHANGE_FORM;
    expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form } })).status).to.equal(200);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `s-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    return id;
  }

  it('starts the lifecycle process with the JOBS.md start variables, hands out each job in order, and approves the case', async () => {
    const id = await submitCleanChange();
    const main = await cluster.state.instanceOf(MAIN, id);
    const [create] = cluster.gateway.requests('CreateProcessInstance').filter((r) => JSON.parse(r.variables).applicationId === id);
    expect(create).to.deep.include({ bpmnProcessId: MAIN, version: -1, tenantId: '<default>' });
    expect(JSON.parse(create.variables)).to.deep.equal({
      applicationId: id,
      matterSlug: HYGIENE,
      action: 'change',
      applicantId: 'enterprise1',
      sandbox: false,
      submittedAt: main.variables.submittedAt,
    });
    const application = await server.running.platform.db.knex('applications').where({ id }).first('process_instance_key');
    expect(String(application.process_instance_key)).to.equal(main.key);

    const completed = async (instance: typeof main, elementId: string) => {
      const answer = await broker.job(instance, elementId);
      expect(answer.method, `${elementId}: ${answer.request.errorMessage ?? ''}`).to.equal('CompleteJob');
      return answer.variables;
    };
    expect(await completed(main, 'Task_StatusReviewing')).to.deep.equal({});
    expect(await completed(main, 'Task_Prefill')).to.have.property('prefill');
    const shared = await broker.call(main, 'Call_ReviewDecideIssue');
    expect(shared.bpmnProcessId).to.equal('common-review-decide-issue');
    expect(shared.variables).to.include({ applicationId: id, department: 'health', autoApproval: true, rejectNeedsChief: true });
    expect(await completed(shared, 'Task_Ocr')).to.have.property('ocr');
    const { review } = (await completed(shared, 'Task_Review')) as { review: { passed: boolean; findings: unknown[] } };
    expect(review.findings).to.deep.equal([]);
    expect(await broker.takes(shared, 'Flow_AutoApproved'), 'the gateway takes the automatic branch').to.equal(true);
    await completed(shared, 'Task_StatusApproved');
    expect((await completed(shared, 'Task_EsignApproval')).documents).to.have.length.greaterThan(0);
    expect(await completed(shared, 'Task_LicensePublish')).to.have.property('licenseId');
    await completed(shared, 'Task_NotifyApproved');
    await broker.end(shared, 'EndEvent_Approved', { parent: main, elementId: 'Call_ReviewDecideIssue' });
    expect(main.variables.outcome).to.equal('approved');
    expect(await completed(main, 'Task_Archive')).to.have.property('archiveId');
    await broker.end(main, 'EndEvent_Done');

    const view = await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${id}`, { token: await server.login('enterprise1') })).body,
      (v) => v.status === 'approved' && v.result !== null,
    );
    expect(view.timeline.filter((e: any) => e.kind === 'status').map((e: any) => e.status)).to.deep.equal([
      'submitted',
      'reviewing',
      'approved',
    ]);
    expect(view.result.licenseId).to.be.a('string');

    // Each job went to a worker of its type by this process's name, with the worker's timeout and capacity.
    const activations = cluster.gateway.requests('ActivateJobs');
    for (const [type, timeout, maxJobsToActivate] of WORKERS) {
      expect(
        activations.find((r) => r.type === type),
        type,
      ).to.deep.include({ worker: WORKER_NAME, timeout, maxJobsToActivate });
    }
    expect(cluster.gateway.requests('FailJob')).to.deep.equal([]);
    expect(cluster.gateway.requests('ThrowError')).to.deep.equal([]);
  });
});
