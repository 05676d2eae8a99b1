import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { FakeCluster } from './support/fake-cluster';
import { gatewayError } from './support/fake-gateway';
import { runPlatform, type PlatformRun } from './support/platform-run';

const PROCESSES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'processes');
const REISSUE = 'publication-licence-reissue-apply';
const REISSUE_FILE = path.join(PROCESSES, 'publication-licence-reissue', 'apply.bpmn');
const ZEEBE_REFUSAL =
  "Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources, but encountered the following errors:\n" +
  `'${REISSUE}.v2.bpmn': - Element: Task_Prefill\n    - ERROR: Must have exactly one 'zeebe:taskDefinition' extension element`;

/**
 * Feature: on ENGINE=zeebe a deployment counts only once the cluster took it. The platform delivers the new versions
 * inside the deployment's transaction: a refusal is 400 with Zeebe's reason, a cluster that does not answer 503, and
 * neither leaves a version behind. At start every latest version is delivered again; one the cluster refuses is
 * logged by name and the rest are deployed.
 */
describe('Zeebe: a deployment is delivered to the cluster before the platform records it', function () {
  this.timeout(90_000);

  describe('a designer deploys', () => {
    let cluster: FakeCluster;
    let server: TestServer;
    let designer: string;
    const original = fs.readFileSync(REISSUE_FILE, 'utf8');
    const changed = original.replace('name="出版物经营许可证遗失补证"', 'name="出版物经营许可证遗失补证（试行）"');

    before(async () => {
      cluster = await FakeCluster.start();
      server = await startTestServer({ engine: 'zeebe', zeebe: cluster.settings() });
      designer = await server.login('designer');
    });
    afterEach(() => {
      cluster.gateway.fault = undefined;
    });
    after(async () => {
      await server?.close();
      await cluster?.stop();
    });

    const deploy = (content: string) => {
      const form = new FormData();
      form.append('resources', new Blob([content]), 'apply.bpmn');
      return server.request('POST', '/api/v1/deployments', { body: form, token: designer });
    };
    const platformVersions = async () =>
      (
        await server.running.platform.db.knex('resources').where({ kind: 'bpmn', resource_id: REISSUE }).orderBy('version').pluck('version')
      ).map(Number);

    it("answers 400 with Zeebe's reason when the cluster refuses it, and records no version", async () => {
      const before = cluster.gateway.requests('DeployResource').length;
      cluster.gateway.fault = (method) =>
        method === 'DeployResource' ? gatewayError(grpc.status.INVALID_ARGUMENT, ZEEBE_REFUSAL) : undefined;
      const reply = await deploy(changed);
      expect(reply.status, reply.text).to.equal(400);
      expect(reply.body.error.code).to.equal('DEPLOYMENT_REFUSED');
      expect(reply.body.error.message).to.contain(`${REISSUE}.v2.bpmn`).and.contain("Must have exactly one 'zeebe:taskDefinition'");
      const sent = cluster.gateway.requests('DeployResource').slice(before);
      expect(sent, 'a refusal is not retried').to.have.length(1);
      expect(sent[0].resources.map((r: { name: string }) => r.name)).to.deep.equal([`${REISSUE}.v2.bpmn`]);
      expect(sent[0].resources[0].content.toString('utf8')).to.equal(changed);
      expect(await platformVersions()).to.deep.equal([1]);
      const xml = await server.request('GET', `/api/v1/processes/${REISSUE}/xml`, { token: designer });
      expect(xml.text).to.equal(original);
      await server.running.platform.audit.flush();
      const audited = await server.running.platform.db.knex('audit_log').where({ action: 'deployment.created', actor: 'designer' });
      expect(audited).to.deep.equal([]);
    });

    it('answers 503 when the cluster cannot be reached, after the client retries, and records nothing', async () => {
      const before = cluster.gateway.requests('DeployResource').length;
      cluster.gateway.fault = (method) =>
        method === 'DeployResource' ? gatewayError(grpc.status.UNAVAILABLE, 'io exception: connection refused') : undefined;
      const reply = await deploy(changed);
      expect(reply.status, reply.text).to.equal(503);
      expect(reply.body.error.code).to.equal('ENGINE_UNAVAILABLE');
      expect(reply.body.error.message).to.contain(`${REISSUE}.v2.bpmn`);
      const sent = cluster.gateway.requests('DeployResource').slice(before);
      // ZEEBE_GRPC_CLIENT_MAX_RETRIES is 2 in the fake cluster's settings: the first try and two retries.
      expect(sent).to.have.length(3);
      for (const request of sent) expect(request.resources.map((r: { name: string }) => r.name)).to.deep.equal([`${REISSUE}.v2.bpmn`]);
      expect(await platformVersions()).to.deep.equal([1]);
    });

    it('records the version once the cluster takes it, numbered as if the refused tries never were', async () => {
      const reply = await deploy(changed);
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.body.resources).to.deep.equal([
        { id: REISSUE, kind: 'bpmn', version: 2, name: '出版物经营许可证遗失补证（试行）', fileName: 'apply.bpmn' },
      ]);
      expect(await platformVersions()).to.deep.equal([1, 2]);
      expect(cluster.state.latest('bpmn', REISSUE)).to.deep.include({ name: `${REISSUE}.v2.bpmn`, version: 2 });
      expect(cluster.state.latest('bpmn', REISSUE)!.content.toString('utf8')).to.equal(changed);
    });

    it('delivers nothing for a deployment with nothing new', async () => {
      const before = cluster.gateway.requests('DeployResource').length;
      const reply = await deploy(changed);
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.body.resources[0]).to.include({ version: 2, unchanged: true });
      expect(cluster.gateway.requests('DeployResource')).to.have.length(before);
    });
  });

  describe('at start', () => {
    let cluster: FakeCluster;
    let database: TestDatabase;
    let run: PlatformRun | undefined;
    const REFUSED = 'common-clerk-review.v1.form';

    before(async () => {
      cluster = await FakeCluster.start();
      database = await createTestDatabase();
    });
    after(async () => {
      await run?.running.close();
      await cluster?.stop();
      await database?.drop();
    });

    it('delivers resource by resource after a refusal: the refused one is logged by name, the others deployed, and the server runs', async () => {
      // Zeebe takes a deployment all or none: any call that carries the refused form is refused whole.
      cluster.gateway.fault = (method, request) =>
        method === 'DeployResource' && request.resources.some((r: { name: string }) => r.name === REFUSED)
          ? gatewayError(grpc.status.INVALID_ARGUMENT, `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': '${REFUSED}': invalid form`)
          : undefined;
      run = await runPlatform(database, cluster);

      const deploys = cluster.gateway.requests('DeployResource');
      const latest = await run.running.platform.db
        .knex('resources as r')
        .whereRaw('r.version = (select max(version) from resources x where x.kind = r.kind and x.resource_id = r.resource_id)')
        .orderBy(['r.kind', 'r.resource_id'])
        .select('r.kind', 'r.resource_id as id', 'r.version', 'r.content');
      const names = latest.map((r: { id: string; version: number; kind: string }) => `${r.id}.v${r.version}.${r.kind}`);
      expect(names).to.include(REFUSED);
      expect(deploys, 'all in one, then one call per resource').to.have.length(1 + names.length);
      expect(deploys[0].resources.map((r: { name: string }) => r.name)).to.deep.equal(names);
      expect(deploys.slice(1).map((d) => d.resources.map((r: { name: string }) => r.name))).to.deep.equal(names.map((n: string) => [n]));
      for (const [i, row] of latest.entries()) expect(deploys[i + 1].resources[0].content.toString('utf8'), names[i]).to.equal(row.content);

      expect(cluster.state.resources.map((r) => r.name).sort()).to.deep.equal(names.filter((n: string) => n !== REFUSED).sort());
      const refusal = run.log.entries.find((e) => e.level === 'error' && e.fields.resource === REFUSED);
      expect(refusal, 'the refused resource is logged by name').to.exist;
      expect(String(refusal!.fields.reason)).to.contain('invalid form');
      expect(run.log.entries.find((e) => e.message === 'processes deployed to the Zeebe cluster')!.fields).to.deep.equal({
        resources: names.length - 1,
        refused: [REFUSED],
      });
      const health = await run.request('GET', '/api/v1/matters');
      expect(health.status, 'the server runs').to.equal(200);
    });
  });
});
