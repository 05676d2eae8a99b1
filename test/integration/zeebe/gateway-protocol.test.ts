import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SERVED_JOB_TYPES } from '../../../server/deployments/rules/job-types';
import { connectCluster } from '../../../server/engine/zeebe/cluster';
import { ZeebeDefinitions } from '../../../server/engine/zeebe/definitions';
import { OrchestrationApi } from '../../../server/engine/zeebe/rest';
import { createLogger } from '../../../server/log';
import { bpmnError, complete, fail, type Job, type Worker } from '../../../workers/worker';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import type { FakeInstance } from './support/cluster-state';
import { FakeCluster } from './support/fake-cluster';
import type { JobSpec } from './support/fake-gateway';

const PROCESSES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'processes');
const REISSUE = 'publication-licence-reissue-apply';

/** Every BPMN, DMN and form of processes/, as bytes. */
function repositoryFiles(dir = PROCESSES): { file: string; content: Buffer }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return repositoryFiles(full);
    return /\.(bpmn|dmn|form)$/.test(entry.name) ? [{ file: path.relative(PROCESSES, full), content: fs.readFileSync(full) }] : [];
  });
}

/**
 * The adapter's every call against a loopback Zeebe gateway and REST API, through the platform's own routes: the exact
 * requests it makes (resource bytes, process ids, variables as JSON, job types, worker names, timeouts, fail retries
 * and back-off, error codes), and what it makes of the answers.
 */
describe('Zeebe adapter: the gateway and REST calls it makes', function () {
  this.timeout(60_000);
  let cluster: FakeCluster;
  let server: TestServer | undefined;
  let designer: string;
  let admin: string;
  /** A version of the reissue process deployed to the cluster before the platform ever was: Zeebe's versions run ahead. */
  let foreign: Buffer;

  before(async () => {
    cluster = await FakeCluster.start();
    foreign = fs.readFileSync(path.join(PROCESSES, 'publication-licence-reissue', 'apply.bpmn'));
    cluster.state.deploy(
      `${REISSUE}.bpmn`,
      Buffer.from(foreign.toString('utf8').replace('name="出版物经营许可证遗失补证"', 'name="旧版"')),
    );
    server = await startTestServer({ engine: 'zeebe', zeebe: cluster.settings() });
    designer = await server.login('designer');
    admin = await server.login('admin');
  });
  after(async () => {
    await server?.close();
    await cluster?.stop();
  });

  const platform = () => server!.running.platform;
  const request = (method: string, url: string, token: string, json?: unknown) => server!.request(method, url, { token, json });

  describe('at start', () => {
    it('asks the topology of both APIs, then deploys every file of processes/ byte for byte in one DeployResource', () => {
      expect(cluster.gateway.calls[0].method).to.equal('Topology');
      expect(cluster.rest.calls[0]).to.deep.include({ method: 'GET', path: '/v2/topology' });
      const deploys = cluster.gateway.requests('DeployResource');
      expect(deploys).to.have.length(1);
      const sent = deploys[0].resources as { name: string; content: Buffer }[];
      const files = repositoryFiles();
      expect(sent).to.have.length(files.length);
      for (const { file, content } of files) {
        const match = sent.find((r) => r.content.equals(content));
        expect(match, file).to.exist;
        expect(match!.name, file).to.match(new RegExp(`^[a-z0-9-]+\\.v1\\.${path.extname(file).slice(1)}$`));
      }
      expect(sent.find((r) => r.name === `${REISSUE}.v1.bpmn`)!.content.equals(foreign)).to.equal(true);
      expect(deploys[0].tenantId).to.equal('<default>');
    });

    it('opens one job worker per job type of workers/, named for this host, with its timeout and capacity', async () => {
      const activated = await eventually(
        async () => [...new Set(cluster.gateway.requests('ActivateJobs').map((r) => r.type as string))].sort(),
        (types) => types.length >= SERVED_JOB_TYPES.length,
      );
      expect(activated).to.deep.equal([...SERVED_JOB_TYPES].sort());
      const first = (type: string) => cluster.gateway.requests('ActivateJobs').find((r) => r.type === type);
      expect(first('deadline')).to.deep.equal({
        type: 'deadline',
        worker: `approvals@${os.hostname()}`,
        timeout: '30000',
        maxJobsToActivate: 8,
        fetchVariable: [],
        requestTimeout: '5000',
        tenantIds: ['<default>'],
      });
      expect(first('ocr')).to.deep.include({ timeout: '180000', maxJobsToActivate: 2 });
    });
  });

  describe('deployments, instances, messages', () => {
    it("deploys a designer's new version alone, named by its platform version", async () => {
      const changed = foreign.toString('utf8').replace('name="出版物经营许可证遗失补证"', 'name="出版物经营许可证遗失补证（试行）"');
      expect(changed).not.to.equal(foreign.toString('utf8'));
      const form = new FormData();
      form.append('resources', new Blob([changed]), 'apply.bpmn');
      const reply = await server!.request('POST', '/api/v1/deployments', { body: form, token: designer });
      expect(reply.status, reply.text).to.equal(201);
      const last = cluster.gateway.requests('DeployResource').at(-1);
      expect(last.resources.map((r: any) => r.name)).to.deep.equal([`${REISSUE}.v2.bpmn`]);
      expect(last.resources[0].content.toString('utf8')).to.equal(changed);
      expect(cluster.state.latest('bpmn', REISSUE)!.version, 'Zeebe: the foreign version, then v1 and v2').to.equal(3);
    });

    it("starts an instance by process id, the latest or a platform version mapped to Zeebe's, variables as JSON", async () => {
      const latest = await request('POST', '/api/v1/process-instances', designer, {
        bpmnProcessId: REISSUE,
        variables: { applicationId: 'TRY-1' },
      });
      expect(latest.status, latest.text).to.equal(201);
      expect(latest.body).to.include({ bpmnProcessId: REISSUE, version: 2 });
      const byVersion = await request('POST', '/api/v1/process-instances', designer, {
        bpmnProcessId: REISSUE,
        version: 1,
        variables: { n: 1 },
      });
      expect(byVersion.body).to.include({ bpmnProcessId: REISSUE, version: 1 });
      const [a, b] = cluster.gateway.requests('CreateProcessInstance').slice(-2);
      expect(a).to.deep.include({ bpmnProcessId: REISSUE, version: -1, startInstructions: [], tenantId: '<default>' });
      expect(JSON.parse(a.variables)).to.deep.equal({ applicationId: 'TRY-1', sandbox: true });
      expect(b).to.deep.include({ bpmnProcessId: REISSUE, version: 2 });
      expect(JSON.parse(b.variables)).to.deep.equal({ n: 1, sandbox: true });
      expect(cluster.state.instances.get(byVersion.body.key)!.version).to.equal(2);
      await platform().audit.flush();
      const audit = await platform().db.knex('audit_log').where({ action: 'instance.started', entity_id: latest.body.key }).first();
      expect(audit.data).to.deep.equal({ bpmnProcessId: REISSUE, version: 2, sandbox: true, parentKey: null });
      const missing = await request('POST', '/api/v1/process-instances', designer, { bpmnProcessId: 'no-such-process' });
      expect(missing.status).to.equal(404);
    });

    it("sends sandbox: false for an admin's real start, so the worklist shows its tasks; true for an admin's try-it", async () => {
      const real = await request('POST', '/api/v1/process-instances', admin, {
        bpmnProcessId: REISSUE,
        variables: { applicationId: 'ADMIN-1' },
      });
      expect(real.status, real.text).to.equal(201);
      const tryIt = await request('POST', '/api/v1/process-instances', admin, { bpmnProcessId: REISSUE, sandbox: true });
      expect(tryIt.status, tryIt.text).to.equal(201);
      const [a, b] = cluster.gateway.requests('CreateProcessInstance').slice(-2);
      expect(JSON.parse(a.variables)).to.deep.equal({ applicationId: 'ADMIN-1', sandbox: false });
      expect(JSON.parse(b.variables)).to.deep.equal({ sandbox: true });
      await platform().audit.flush();
      const audit = await platform().db.knex('audit_log').where({ action: 'instance.started', entity_id: real.body.key }).first();
      expect(audit.data).to.include({ sandbox: false });
    });

    it("finds on the cluster what another node deployed: Zeebe's version by resource name, the platform's by Zeebe's", async () => {
      const other = connectCluster(cluster.settings(), createLogger('silent'));
      try {
        const definitions = new ZeebeDefinitions(other.grpc, new OrchestrationApi(other.rest), platform().db.knex);
        const searched = () => cluster.rest.requests('POST', /^\/v2\/process-definitions\/search$/).at(-1)!.body;
        expect(await definitions.zeebeVersion(REISSUE, 2)).to.equal(3);
        expect(searched()).to.deep.equal({
          filter: { processDefinitionId: REISSUE, resourceName: `${REISSUE}.v2.bpmn` },
          sort: [{ field: 'version', order: 'DESC' }],
        });
        expect(await definitions.platformVersion(REISSUE, 2)).to.equal(1);
        expect(searched()).to.deep.equal({ filter: { processDefinitionId: REISSUE, version: 2 } });
        expect(await definitions.platformVersion(REISSUE, 1), "deployed outside the platform: Zeebe's own number").to.equal(1);
        const missing = await definitions.zeebeVersion(REISSUE, 9).catch((error) => error);
        expect(missing.status).to.equal(404);
      } finally {
        await other.close();
      }
    });

    it("publishes a message with its correlation key, time to live, id and variables; a sandbox one never carries a real application's key", async () => {
      const published = await request('POST', '/api/v1/messages', admin, {
        name: 'corrections-submitted',
        correlationKey: 'APP-1',
        variables: { correctionsRound: 1 },
        timeToLive: 60_000,
        messageId: 'corrections-APP-1-1',
      });
      expect(published.status, published.text).to.equal(201);
      expect(published.body).to.deep.include({ correlatedInstanceKeys: [], buffered: true });
      expect(cluster.gateway.requests('PublishMessage').at(-1)).to.deep.equal({
        name: 'corrections-submitted',
        correlationKey: 'APP-1',
        timeToLive: '60000',
        messageId: 'corrections-APP-1-1',
        variables: '{"correctionsRound":1}',
        tenantId: '<default>',
      });
      const application = await insertApplication('REAL-1');
      const refused = await request('POST', '/api/v1/messages', designer, { name: 'application-withdrawn', correlationKey: application });
      expect(refused.status).to.equal(409);
      expect(cluster.gateway.requests('PublishMessage')).to.have.length(1);
    });

    it('cancels an instance by key; one that ended is 409 as on the embedded engine, an unknown one 404', async () => {
      const started = await request('POST', '/api/v1/process-instances', designer, { bpmnProcessId: REISSUE });
      const cancelled = await request('POST', `/api/v1/process-instances/${started.body.key}/cancellation`, designer);
      expect(cancelled.status, cancelled.text).to.equal(204);
      expect(cluster.gateway.requests('CancelProcessInstance').at(-1)).to.deep.equal({ processInstanceKey: started.body.key });
      const again = await request('POST', `/api/v1/process-instances/${started.body.key}/cancellation`, admin);
      expect(again.status, again.text).to.equal(409);
      expect(again.body.error.code).to.equal('CONFLICT');
      expect(
        cluster.gateway.requests('CancelProcessInstance').at(-1),
        "Zeebe's NOT_FOUND, taken for ended by the instance read",
      ).to.deep.include({
        processInstanceKey: started.body.key,
      });
      const unknown = await request('POST', '/api/v1/process-instances/2251799813000001/cancellation', admin);
      expect(unknown.status, unknown.text).to.equal(404);
      await platform().audit.flush();
      const audit = await platform().db.knex('audit_log').where({ action: 'instance.cancelled', entity_id: started.body.key }).first();
      expect(audit.actor).to.equal('designer');
    });
  });

  describe('instance views and incidents (REST reads)', () => {
    let instance: FakeInstance;

    before(() => {
      instance = cluster.state.startInstance(cluster.state.version('bpmn', REISSUE, 2)!, {
        applicationId: 'VIEW-1',
        sandbox: false,
        review: { passed: true },
        comment: '现场核查'.repeat(100),
      });
      instance.activeElements = [
        { elementId: REISSUE, type: 'PROCESS' },
        { elementId: 'Task_Prefill', type: 'SERVICE_TASK' },
      ];
      cluster.state.incidents.push({
        incidentKey: cluster.state.nextKey(),
        processInstanceKey: instance.key,
        jobKey: '2251799813699999',
        elementId: 'Task_Prefill',
        errorType: 'JOB_NO_RETRIES',
        errorMessage: 'registry down',
        creationTime: '2026-11-20T08:00:00.000Z',
        state: 'ACTIVE',
      });
    });

    it('shows an instance from the cluster: its platform version, active elements, root variables and incidents', async () => {
      const reply = await request('GET', `/api/v1/process-instances/${instance.key}`, admin);
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.body).to.deep.include({
        key: instance.key,
        bpmnProcessId: REISSUE,
        version: 1,
        state: 'incident',
        activeElements: ['Task_Prefill'],
        variables: { applicationId: 'VIEW-1', sandbox: false, review: { passed: true }, comment: '现场核查'.repeat(100) },
        sandbox: false,
        parentKey: null,
        endedAt: null,
      });
      expect(reply.body.incidents).to.have.length(1);
      expect(reply.body.incidents[0]).to.include({
        instanceKey: instance.key,
        jobKey: '2251799813699999',
        errorType: 'JOB_NO_RETRIES',
        applicationId: 'VIEW-1',
      });
      const reads = cluster.rest.calls.slice(-6).map((c) => `${c.method} ${c.path}`);
      expect(reads).to.include.members([
        `GET /v2/process-instances/${instance.key}`,
        'POST /v2/variables/search',
        `GET /v2/variables/${cluster.rest
          .requests('GET', /^\/v2\/variables\/\d+$/)
          .at(-1)
          ?.path.split('/')
          .pop()}`,
        'POST /v2/element-instances/search',
        'POST /v2/incidents/search',
      ]);
      const rootScope = cluster.rest.requests('POST', /^\/v2\/variables\/search$/).filter((c) => c.body.filter.scopeKey);
      expect(rootScope.at(-1)!.body).to.deep.equal({
        filter: { processInstanceKey: instance.key, scopeKey: instance.key },
        page: { from: 0, limit: 1000 },
      });
      expect(cluster.rest.requests('GET', /^\/v2\/variables\/\d+$/), 'the one truncated value read whole').to.have.length(1);
      const hidden = await request('GET', `/api/v1/process-instances/${instance.key}`, designer);
      expect(hidden.status, 'a designer sees only sandbox instances').to.equal(404);
      expect(cluster.rest.requests('POST', /^\/v2\/element-instances\/search$/).at(-1)!.body.filter).to.deep.equal({
        processInstanceKey: instance.key,
        state: 'ACTIVE',
      });
    });

    it('takes an instance the platform started but the secondary storage has not exported yet for active; an unknown one is 404', async () => {
      const id = await insertApplication('LAG-1', '2251799813600001');
      const view = await platform().engine.getInstance('2251799813600001');
      expect(view).to.deep.include({
        state: 'active',
        bpmnProcessId: 'public-place-hygiene-permit-change',
        variables: { applicationId: id },
      });
      expect((await request('GET', '/api/v1/process-instances/2251799813600002', designer)).status).to.equal(404);
    });

    it('lists the open incidents, and resolves one: the job gets a retry, then the incident is resolved', async () => {
      const listed = await request('GET', '/api/v1/incidents', admin);
      expect(listed.status, listed.text).to.equal(200);
      const [incident] = listed.body;
      expect(incident).to.include({
        instanceKey: instance.key,
        elementId: 'Task_Prefill',
        errorMessage: 'registry down',
        applicationId: 'VIEW-1',
      });
      const resolved = await request('POST', `/api/v1/incidents/${incident.key}/resolution`, admin);
      expect(resolved.status, resolved.text).to.equal(204);
      expect(cluster.gateway.requests('UpdateJobRetries').at(-1)).to.deep.include({ jobKey: '2251799813699999', retries: 1 });
      expect(cluster.gateway.requests('ResolveIncident').at(-1)).to.deep.include({ incidentKey: incident.key });
      expect((await request('GET', '/api/v1/incidents', admin)).body).to.deep.equal([]);
    });
  });

  describe('job workers: the outcome of workers/worker.ts as the gateway call', () => {
    const seen: Job[] = [];
    const spec = (type: string, retries = 3): JobSpec => ({
      type,
      processInstanceKey: '2251799813700001',
      bpmnProcessId: REISSUE,
      processDefinitionVersion: 2,
      processDefinitionKey: '2251799813700000',
      elementId: `Task_${type}`,
      customHeaders: { template: 'approved' },
      variables: { applicationId: 'JOB-1', review: { passed: true } },
      retries,
    });

    before(() => {
      const workers: Worker[] = [
        { type: 't-complete', handler: async (job) => (seen.push(job), complete({ done: true, n: 2 })) },
        { type: 't-error', handler: async () => bpmnError('NOT_ELIGIBLE', '不符合申请条件', { reason: 'revoked' }) },
        { type: 't-fail', handler: async () => fail('registry down', 5000) },
        { type: 't-fail-now', handler: async () => fail('certificate revoked', 0, 0) },
        {
          type: 't-throw',
          handler: async () => {
            throw new Error('boom');
          },
        },
      ];
      for (const worker of workers) platform().engine.registerWorker(worker);
    });

    it('completes with the variables as JSON, and the handler saw the job as workers/worker.ts defines it', async () => {
      const answer = await cluster.gateway.offerJob(spec('t-complete'));
      expect(answer.method).to.equal('CompleteJob');
      expect(answer.request.variables).to.equal('{"done":true,"n":2}');
      const [job] = seen;
      expect(job).to.deep.include({
        key: answer.request.jobKey,
        type: 't-complete',
        processInstanceKey: '2251799813700001',
        bpmnProcessId: REISSUE,
        processVersion: 2,
        elementId: 'Task_t-complete',
        variables: { applicationId: 'JOB-1', review: { passed: true } },
        headers: { template: 'approved' },
        retries: 3,
      });
      expect(job.deadline.getTime()).to.be.closeTo(Date.now() + 30_000, 5_000);
    });

    it('throws a BPMN error with its code, message and variables', async () => {
      const answer = await cluster.gateway.offerJob(spec('t-error'));
      expect(answer.method).to.equal('ThrowError');
      expect(answer.request).to.deep.equal({
        jobKey: answer.request.jobKey,
        errorCode: 'NOT_ELIGIBLE',
        errorMessage: '不符合申请条件',
        variables: '{"reason":"revoked"}',
      });
    });

    it("fails with one retry fewer and the worker's back-off; the worker may say none are left; a throwing handler fails too", async () => {
      const failed = await cluster.gateway.offerJob(spec('t-fail'));
      expect(failed.method).to.equal('FailJob');
      expect(failed.request).to.deep.include({ retries: 2, errorMessage: 'registry down', retryBackOff: '5000' });
      const now = await cluster.gateway.offerJob(spec('t-fail-now'));
      expect(now.request).to.deep.include({ retries: 0, errorMessage: 'certificate revoked', retryBackOff: '0' });
      const thrown = await cluster.gateway.offerJob(spec('t-throw', 1));
      expect(thrown.request).to.deep.include({ retries: 0, errorMessage: 'worker t-throw threw: boom', retryBackOff: '1000' });
    });

    it('stops gracefully: the job in hand is answered before the connection closes', async () => {
      let release!: () => void;
      const inHand = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const begun = new Promise<void>((resolve) => (started = resolve));
      platform().engine.registerWorker({
        type: 't-slow',
        handler: async () => {
          started();
          await inHand;
          return complete({ slow: true });
        },
      });
      const answered = cluster.gateway.offerJob(spec('t-slow'));
      await begun;
      const closing = server!.close();
      server = undefined;
      let closed = false;
      void closing.then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(closed, 'close waits for the job in hand').to.equal(false);
      release();
      expect((await answered).request.variables).to.equal('{"slow":true}');
      await closing;
    });
  });

  async function insertApplication(id: string, processInstanceKey?: string): Promise<string> {
    const now = new Date();
    await platform()
      .db.knex('applications')
      .insert({
        id,
        matter_slug: 'public-place-hygiene-permit',
        action: 'change',
        department: 'health',
        applicant_id: 'enterprise1',
        status: 'submitted',
        resume_code: `RC-${id}`,
        created_at: now,
        updated_at: now,
        submitted_at: now,
        process_instance_key: processInstanceKey ?? null,
      });
    return id;
  }
});
