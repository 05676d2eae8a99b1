import fs from 'node:fs';
import { expect } from 'chai';
import { recordReview } from '../../../server/applications/review-record';
import { reviewWorker } from '../../../workers/review';
import type { Job } from '../../../workers/worker';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const PUBLICATION = 'publication-licence-reissue';
const TABLE = `${PUBLICATION}-review`;
const NEW_POINT = 'PUB-R90';
const NEW_MESSAGE = '补证前须在公开报刊刊登原许可证作废声明，请核验声明，转人工审查';

interface Hold {
  /** Resolves when the review job has started and waits. */
  reached: Promise<void>;
  arrived(): void;
  gate: Promise<void>;
  release(): void;
}

function hold(): Hold {
  const waiting = {} as Hold;
  waiting.reached = new Promise<void>((resolve) => (waiting.arrived = resolve));
  waiting.gate = new Promise<void>((resolve) => (waiting.release = resolve));
  return waiting;
}

/** The repository's review table with one more rule, as a designer adds it in the review-table editor. */
function withNewRule(table: string): string {
  const inputs = [...table.matchAll(/<input id="Input_(\w+)"/g)].map((m) => m[1]);
  const entries = inputs
    .map(
      (input) => `
        <inputEntry id="UnaryTests_PUB_R90_${input}">
          <text>${input === 'Action' ? '"apply"' : '-'}</text>
        </inputEntry>`,
    )
    .join('');
  const rule = `      <rule id="Rule_PUB_R90_VoidNotice">
        <description>${NEW_POINT} 原许可证作废声明须经人工核验</description>${entries}
        <outputEntry id="LiteralExpression_PUB_R90_Point">
          <text>"${NEW_POINT}"</text>
        </outputEntry>
        <outputEntry id="LiteralExpression_PUB_R90_Severity">
          <text>"block"</text>
        </outputEntry>
        <outputEntry id="LiteralExpression_PUB_R90_Message">
          <text>"${NEW_MESSAGE}"</text>
        </outputEntry>
        <outputEntry id="LiteralExpression_PUB_R90_Field">
          <text></text>
        </outputEntry>
      </rule>
`;
  const changed = table.replace('    </decisionTable>', `${rule}    </decisionTable>`);
  if (changed === table) throw new Error('the review table has no </decisionTable> to add a rule before');
  return changed;
}

/**
 * Issue 8 end to end: a designer deploys a new version of a matter's review table through the API, and the real
 * review worker, which reads the latest deployed table each time a review job runs (JOBS.md `review`), applies it.
 * The review of an application started before the deployment whose review job runs after it uses the new table too;
 * a review made before the deployment is kept as made, with its own table version.
 */
describe('Issue 8: a new version of a review table reviews the applications whose review job runs after it is deployed', function () {
  this.timeout(180_000);
  let server: TestServer;
  let token: string;
  /** Review jobs that wait before they evaluate, by application id, until the test releases them. */
  const held = new Map<string, Hold>();
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    server = await startTestServer({ disabledWorkers: ['review'], ocrWorkers: 1 });
    const platform = server.running.platform;
    // The platform's own review worker, waiting first when the test holds the application's review.
    const review = reviewWorker((applicationId, jobKey) => recordReview({ ...platform, knex: platform.db.knex }, applicationId, jobKey));
    platform.engine.registerWorker({
      ...review,
      async handler(job: Job<{ applicationId?: string; sandbox?: boolean }>) {
        const waiting = held.get(String(job.variables.applicationId));
        if (waiting) {
          waiting.arrived();
          await waiting.gate;
        }
        return review.handler(job);
      },
    });
    token = await server.login('enterprise1');
  });
  after(() => server?.close());

  async function submitted(lossCircumstances: string, beforeSubmit?: (id: string) => void): Promise<string> {
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: PUBLICATION, action: 'apply', answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id: string = created.body.id;
    const form = {
      reissueCopies: 'original',
      lossDate: '2026-11-01',
      lossCircumstances,
      contactName: '陈晓东',
      contactPhone: '13912345678',
      statementAccepted: true,
    };
    expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form } })).status).to.equal(200);
    beforeSubmit?.(id);
    const reply = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `rule-${id}` },
    });
    expect(reply.status, reply.text).to.equal(202);
    return id;
  }

  const view = (id: string) => server.request('GET', `/api/v1/applications/${id}`, { token }).then((r) => r.body);
  const reviewed = async (id: string) => {
    const event = await eventually(
      () => knex()('application_events').where({ application_id: id, kind: 'review' }).first('data'),
      (e) => Boolean(e),
      60_000,
    );
    return event.data as { passed: boolean; findings: { point: string; severity: string; message: string }[]; tableVersion: number };
  };
  const settled = (id: string) =>
    eventually(
      () => view(id),
      (v) => (v.status === 'approved' && v.result?.licenseId) || v.status === 'manual_review',
      60_000,
    );

  async function reviewedByNewRule(id: string, version: number) {
    const review = await reviewed(id);
    expect(review.tableVersion).to.equal(version);
    expect(review.passed).to.equal(false);
    expect(review.findings).to.deep.equal([{ point: NEW_POINT, severity: 'block', message: NEW_MESSAGE }]);
    const settledView = await settled(id);
    expect(settledView.status).to.equal('manual_review');
    expect(settledView.findings).to.deep.equal(review.findings);
    await server.running.platform.audit.flush();
    const audit = await knex()('audit_log').where({ action: 'application.reviewed', entity_id: id }).first('data');
    expect(audit.data).to.deep.include({ passed: false, tableVersion: version, points: [`${NEW_POINT}:block`] });
    const child = await knex()('process_instances').where({ parent_key: settledView.processInstanceKey }).first('key');
    const variables = (await server.running.platform.engine.getInstance(String(child.key)))!.variables;
    expect(variables.review).to.deep.include({ tableVersion: version, passed: false });
  }

  async function deploy(xml: string) {
    const designer = await server.login('designer');
    const body = new FormData();
    body.append('resources', new Blob([xml], { type: 'application/octet-stream' }), 'review.dmn');
    return server.request('POST', '/api/v1/deployments', { token: designer, body });
  }

  it('the review job uses the latest table when it runs: a new application and one started before the deployment both get the new rule, a review made before stays', async () => {
    const latest = await knex()('resources').where({ kind: 'dmn', resource_id: TABLE }).max('version as v').first();
    const repositoryVersion = Number(latest!.v);

    // Reviewed under the repository's table: approved with no person (the lost licence superseded by the new version).
    const before = await submitted('搬迁时遗失');
    const beforeReview = await reviewed(before);
    expect(beforeReview).to.deep.include({ passed: true, findings: [], tableVersion: repositoryVersion });
    expect((await settled(before)).status).to.equal('approved');

    // Started before the deployment, its review job held until after it.
    let startedBefore = '';
    await submitted('整理档案时遗失', (id) => held.set((startedBefore = id), hold()));
    await held.get(startedBefore)!.reached;
    const job = await knex()('jobs').where({ type: 'review' }).whereRaw(`variables->>'applicationId' = ?`, [startedBefore]).first('state');
    expect(job.state).to.equal('activated');
    expect(await knex()('application_events').where({ application_id: startedBefore, kind: 'review' })).to.deep.equal([]);

    const repository = fs.readFileSync(`processes/${PUBLICATION}/review.dmn`, 'utf8');
    const deployed = await deploy(withNewRule(repository));
    expect(deployed.status, deployed.text).to.equal(201);
    const newVersion = repositoryVersion + 1;
    expect(deployed.body.resources).to.deep.equal([
      { id: TABLE, kind: 'dmn', version: newVersion, name: '出版物经营许可证遗失补证 审查要点', fileName: 'review.dmn' },
    ]);
    held.get(startedBefore)!.release();

    await reviewedByNewRule(startedBefore, newVersion);
    // One open application per licence: the applicant withdraws the case at the clerk's before applying again.
    expect((await server.request('POST', `/api/v1/applications/${startedBefore}/withdraw`, { token })).status).to.equal(200);
    await eventually(
      () => view(startedBefore),
      (v) => v.status === 'withdrawn',
      20_000,
    );

    const after = await submitted('装修时遗失');
    await reviewedByNewRule(after, newVersion);

    // The review made before the deployment is not made again: its findings and version stay as they were.
    expect((await view(before)).findings).to.deep.equal([]);
    await server.running.platform.audit.flush();
    const decided = await knex()('audit_log').where({ action: 'application.decided', entity_id: before }).first('data');
    expect(decided.data.basis.review).to.deep.include({ passed: true, tableVersion: repositoryVersion });
    expect(await knex()('application_events').where({ application_id: before, kind: 'review' })).to.have.length(1);
  });
});
