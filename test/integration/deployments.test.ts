import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { DeployedResource } from '../../server/deployments/deployments';
import { StartRefused } from '../../server/start-refused';
import { startTestServer, type Reply, type TestServer } from '../support/server';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'deployments');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const APPLY = 'public-place-hygiene-permit-apply';
const applyV1 = fixture('hygiene-permit-apply.bpmn');
const applyV2 = applyV1.replace('name="审查通过？"', 'name="审查是否通过？"');

describe('Deployments API', () => {
  let server: TestServer;
  let token: string;
  const scratch: string[] = [];

  const tempDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-processes-'));
    scratch.push(dir);
    return dir;
  };

  function deploy(...files: [name: string, content: string][]): Promise<Reply> {
    const form = new FormData();
    for (const [name, content] of files) form.append('resources', new Blob([content], { type: 'application/octet-stream' }), name);
    return server.request('POST', '/api/v1/deployments', { body: form, token });
  }

  const get = (url: string) => server.request('GET', url, { token });

  const listed = async (list: 'processes' | 'decisions' | 'forms', id: string) => {
    const reply = await get(`/api/v1/${list}`);
    expect(reply.status).to.equal(200);
    return (reply.body as { id: string; version: number; versions: number[] }[]).find((entry) => entry.id === id);
  };

  before(async () => {
    server = await startTestServer({ processesDir: path.join(tempDir(), 'absent') });
    token = await server.login('designer');
  });
  after(async () => {
    await server?.close();
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('versions', () => {
    it('deploys a valid Camunda 8.8 BPMN as version 1', async () => {
      const reply = await deploy(['apply.bpmn', applyV1]);
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.body.key).to.be.a('string');
      expect(reply.body.resources).to.deep.equal([
        { id: APPLY, kind: 'bpmn', version: 1, name: '公共场所卫生许可 新办', fileName: 'apply.bpmn' },
      ]);
    });

    it('returns the existing version, marked unchanged, for the same file again', async () => {
      const reply = await deploy(['apply.bpmn', applyV1]);
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.body.resources[0]).to.include({ id: APPLY, version: 1, unchanged: true });
    });

    it('makes version 2 of a changed file', async () => {
      const reply = await deploy(['apply.bpmn', applyV2]);
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.body.resources[0]).to.include({ id: APPLY, version: 2 });
      expect(reply.body.resources[0]).not.to.have.property('unchanged');
    });

    it('serves the exact XML of each version, the latest without ?version', async () => {
      for (const [query, expected] of [
        ['?version=1', applyV1],
        ['?version=2', applyV2],
        ['', applyV2],
      ]) {
        const reply = await get(`/api/v1/processes/${APPLY}/xml${query}`);
        expect(reply.status, query).to.equal(200);
        expect(reply.headers.get('content-type')).to.match(/^application\/xml/);
        expect(reply.text, query).to.equal(expected);
      }
    });

    it('answers 404 NOT_FOUND for an unknown process or version', async () => {
      for (const url of [`/api/v1/processes/no-such-process/xml`, `/api/v1/processes/${APPLY}/xml?version=9`]) {
        const reply = await get(url);
        expect(reply.status, url).to.equal(404);
        expect(reply.body.error.code, url).to.equal('NOT_FOUND');
      }
    });

    it('lists processes with their newest version and all versions, newest first', async () => {
      const entry = await listed('processes', APPLY);
      expect(entry).to.deep.include({ id: APPLY, name: '公共场所卫生许可 新办', version: 2, versions: [2, 1] });
    });

    it('deploys and versions a DMN decision table', async () => {
      const review = fixture('hygiene-permit-review.dmn');
      const first = await deploy(['review.dmn', review]);
      expect(first.status, first.text).to.equal(201);
      expect(first.body.resources).to.deep.equal([
        { id: 'public-place-hygiene-permit-review', kind: 'dmn', version: 1, name: '公共场所卫生许可 审查要点', fileName: 'review.dmn' },
      ]);
      expect((await deploy(['review.dmn', review])).body.resources[0]).to.include({ version: 1, unchanged: true });
      const changed = review.replace('<text>&lt; 20</text>', '<text>&lt; 30</text>');
      expect((await deploy(['review.dmn', changed])).body.resources[0]).to.include({ version: 2 });
      expect(await listed('decisions', 'public-place-hygiene-permit-review')).to.deep.include({ version: 2, versions: [2, 1] });
    });

    it('deploys and versions a form-js form', async () => {
      const form = fixture('hygiene-permit-review.form');
      const first = await deploy(['review.form', form]);
      expect(first.status, first.text).to.equal(201);
      expect(first.body.resources[0]).to.deep.include({ id: 'public-place-hygiene-permit-review', kind: 'form', version: 1 });
      expect((await deploy(['review.form', form])).body.resources[0]).to.include({ version: 1, unchanged: true });
      expect((await deploy(['review.form', form.replace('审查说明', '审查意见说明')])).body.resources[0]).to.include({ version: 2 });
      expect(await listed('forms', 'public-place-hygiene-permit-review')).to.deep.include({ version: 2, versions: [2, 1] });
    });

    it('deploys a process, its decision and its form together in one deployment', async () => {
      const reply = await deploy(
        ['change.bpmn', applyV1.replaceAll(APPLY, 'public-place-hygiene-permit-change')],
        [
          'review.dmn',
          fixture('hygiene-permit-review.dmn').replaceAll(
            'public-place-hygiene-permit-review',
            'public-place-hygiene-permit-change-review',
          ),
        ],
        [
          '变更.form',
          fixture('hygiene-permit-review.form').replace('"public-place-hygiene-permit-review"', '"public-place-hygiene-permit-change"'),
        ],
      );
      expect(reply.status, reply.text).to.equal(201);
      expect(reply.body.resources[2].fileName).to.equal('变更.form');
      expect(
        reply.body.resources.map((r: { kind: string; id: string; version: number }) => `${r.kind}:${r.id}:${r.version}`),
      ).to.deep.equal([
        'bpmn:public-place-hygiene-permit-change:1',
        'dmn:public-place-hygiene-permit-change-review:1',
        'form:public-place-hygiene-permit-change:1',
      ]);
    });
  });

  describe('refusals', () => {
    it('deploys nothing when one file of the request is bad', async () => {
      const applyV3 = applyV1.replace('name="窗口审查"', 'name="窗口受理审查"');
      const reply = await deploy(['apply.bpmn', applyV3], ['cancel.bpmn', fixture('missing-task-definition.bpmn')]);
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('DEPLOYMENT_INVALID');
      expect(reply.body.error.details.every((d: { file: string }) => d.file === 'cancel.bpmn')).to.equal(true);
      expect(await listed('processes', APPLY)).to.deep.include({ version: 2, versions: [2, 1] });
      expect(await listed('processes', 'road-transport-permit-cancel')).to.equal(undefined);
      expect((await get(`/api/v1/processes/${APPLY}/xml`)).text).to.equal(applyV2);
    });

    const bad: { file: string; elementIds: string[]; rule?: string; text?: RegExp }[] = [
      { file: 'broken-xml.bpmn', elementIds: ['Task_Status'], text: /does not parse.*line: 16/ },
      { file: 'unresolved-reference.bpmn', elementIds: ['Flow_ToDone'], text: /EndEvent_Closed/ },
      { file: 'missing-task-definition.bpmn', elementIds: ['Task_Archive'], rule: 'camunda-compat/implementation' },
      { file: 'bad-feel-condition.bpmn', elementIds: ['Flow_Clean'], rule: 'feel-syntax', text: /=arrears == 0 and/ },
      {
        file: 'bad-feel-review.dmn',
        elementIds: ['Rule_AreaTooSmall', 'Rule_StaffUncertified'],
        rule: 'feel-syntax',
        text: /entertainment-venue-license-review/,
      },
      { file: 'invalid-review.form', elementIds: ['Field_Decision', 'Field_CommentAgain', 'Field_Untyped'] },
    ];
    for (const { file, elementIds, rule, text } of bad) {
      it(`refuses ${file} with 400 naming ${elementIds.join(', ')}`, async () => {
        const reply = await deploy([file, fixture(file)]);
        expect(reply.status, reply.text).to.equal(400);
        expect(reply.body.error.code).to.equal('DEPLOYMENT_INVALID');
        const details = reply.body.error.details as { file: string; elementId?: string; rule?: string; message: string }[];
        expect(details.map((d) => d.elementId)).to.include.members(elementIds);
        expect(details.every((d) => d.file === file)).to.equal(true);
        if (rule) expect(details.map((d) => d.rule)).to.include(rule);
        if (text) expect(details.map((d) => d.message).join('\n')).to.match(text);
        expect(reply.body.error.message).to.contain(file);
      });
    }

    it('refuses a review table whose rule calls a function that does not exist, with the reason, and deploys nothing', async () => {
      const review = fixture('hygiene-permit-review.dmn');
      const misspelled = review.replace('<text>&lt; 20</text>', '<text>is defined(?) and ? &lt; 20</text>');
      expect(misspelled).not.to.equal(review);
      const before = await listed('decisions', 'public-place-hygiene-permit-review');
      const reply = await deploy(['review.dmn', misspelled]);
      expect(reply.status, reply.text).to.equal(400);
      expect(reply.body.error.code).to.equal('DEPLOYMENT_INVALID');
      expect(reply.body.error.details).to.deep.equal([
        {
          file: 'review.dmn',
          elementId: 'Rule_AreaTooSmall',
          rule: 'feel-function',
          message:
            'Decision public-place-hygiene-permit-review, rule Rule_AreaTooSmall, input "经营面积（平方米）": the FEEL unary tests calls the function "is defined", which does not exist (it would evaluate to null and the rule would never apply): is defined(?) and ? < 20',
        },
      ]);
      expect(await listed('decisions', 'public-place-hygiene-permit-review')).to.deep.equal(before);
    });

    it('refuses a file that is not .bpmn, .dmn or .form, naming it', async () => {
      const reply = await deploy(['apply.xml', applyV1]);
      expect(reply.status).to.equal(400);
      expect(reply.body.error.details).to.deep.equal([{ file: 'apply.xml', message: '"apply.xml" is not a .bpmn, .dmn or .form file' }]);
    });

    it('refuses a request without files', async () => {
      const form = new FormData();
      form.append('comment', 'nothing attached');
      const reply = await server.request('POST', '/api/v1/deployments', { body: form, token });
      expect(reply.status).to.equal(400);
    });

    it('lets only designers and admins deploy', async () => {
      const form = () => {
        const body = new FormData();
        body.append('resources', new Blob([applyV1]), 'apply.bpmn');
        return body;
      };
      expect((await server.request('POST', '/api/v1/deployments', { body: form() })).status).to.equal(401);
      const applicant = await server.login('applicant1');
      expect((await server.request('POST', '/api/v1/deployments', { body: form(), token: applicant })).status).to.equal(403);
    });

    it('refuses two files that define the same process id', async () => {
      const reply = await deploy(['a.bpmn', applyV1], ['b.bpmn', applyV2]);
      expect(reply.status).to.equal(400);
      expect(reply.body.error.details[0]).to.include({ file: 'b.bpmn', elementId: APPLY });
    });
  });

  describe('concurrency', () => {
    it('gives concurrent deployments of one changed file one new version, the others unchanged', async () => {
      const content = applyV1.replace('name="材料识别"', 'name="材料智能识别"');
      const replies = await Promise.all(Array.from({ length: 6 }, () => deploy(['apply.bpmn', content])));
      const resources = replies.map((r) => {
        expect(r.status, r.text).to.equal(201);
        return r.body.resources[0] as { version: number; unchanged?: boolean };
      });
      expect(new Set(resources.map((r) => r.version))).to.deep.equal(new Set([3]));
      expect(resources.filter((r) => !r.unchanged)).to.have.length(1);
    });

    it('gives concurrent deployments of different contents distinct consecutive versions', async () => {
      const replies = await Promise.all(
        Array.from({ length: 5 }, (_, n) => deploy(['apply.bpmn', applyV1.replace('name="归档"', `name="归档 ${n}"`)])),
      );
      const versions = replies.map((r) => {
        expect(r.status, r.text).to.equal(201);
        return r.body.resources[0].version as number;
      });
      expect([...versions].sort((a, b) => a - b)).to.deep.equal([4, 5, 6, 7, 8]);
      expect((await listed('processes', APPLY))!.versions).to.deep.equal([8, 7, 6, 5, 4, 3, 2, 1]);
    });
  });

  describe('the processes repository (JOBS.md)', () => {
    const CHANGE = 'public-place-hygiene-permit-renew';
    const original = applyV1.replaceAll(APPLY, CHANGE);
    const designerEdit = original.replace('name="归档"', 'name="电子归档"');
    const repositoryEdit = original.replace('name="材料识别"', 'name="材料识别与比对"');

    it('deploys a file when its content differs from what that file last deployed', async () => {
      const deployments = server.running.platform.deployments;
      const latest = async () => (await deployments.latest('bpmn', CHANGE))!;
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, 'public-place-hygiene-permit'));
      const file = path.join(dir, 'public-place-hygiene-permit', 'renew.bpmn');
      fs.writeFileSync(file, original);
      fs.writeFileSync(path.join(dir, 'public-place-hygiene-permit', 'matter.json'), '{"code": "not deployed"}');

      expect(await deployments.deployRepository(dir)).to.deep.equal({
        deployed: ['public-place-hygiene-permit/renew.bpmn'],
        unchanged: [],
      });
      expect(await latest()).to.include({ version: 1, fileName: 'public-place-hygiene-permit/renew.bpmn', content: original });

      expect(await deployments.deployRepository(dir)).to.deep.equal({
        deployed: [],
        unchanged: ['public-place-hygiene-permit/renew.bpmn'],
      });

      const designer = await deploy(['renew.bpmn', designerEdit]);
      expect(designer.body.resources[0]).to.include({ version: 2 });
      expect((await deployments.deployRepository(dir)).deployed).to.deep.equal([]);
      expect(await latest(), 'the designer version stays the latest').to.include({ version: 2, content: designerEdit });

      fs.writeFileSync(file, repositoryEdit);
      expect((await deployments.deployRepository(dir)).deployed).to.deep.equal(['public-place-hygiene-permit/renew.bpmn']);
      expect(await latest()).to.include({ version: 3, content: repositoryEdit });
      expect((await deployments.deployRepository(dir)).deployed).to.deep.equal([]);
    });

    it('records a repository file whose content a designer deployed first, and does not redeploy it', async () => {
      const deployments = server.running.platform.deployments;
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'renew.bpmn'), designerEdit.replace('name="电子归档"', 'name="电子归档 "'));
      await deploy(['renew.bpmn', designerEdit.replace('name="电子归档"', 'name="电子归档 "')]);
      const before = (await deployments.latest('bpmn', CHANGE))!.version;
      expect((await deployments.deployRepository(dir)).deployed).to.deep.equal(['renew.bpmn']);
      expect((await deployments.latest('bpmn', CHANGE))!.version).to.equal(before);
      expect(await deployments.deployRepository(dir)).to.deep.equal({ deployed: [], unchanged: ['renew.bpmn'] });
    });

    it('treats a missing folder as nothing to deploy', async () => {
      expect(await server.running.platform.deployments.deployRepository(path.join(tempDir(), 'none'))).to.deep.equal({
        deployed: [],
        unchanged: [],
      });
    });

    it('refuses to start on a broken repository file, naming it and its errors, and deploys none of the others', async () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'good.bpmn'), applyV1.replaceAll(APPLY, 'repository-good-process'));
      fs.writeFileSync(path.join(dir, 'cancel.bpmn'), fixture('missing-task-definition.bpmn'));
      const error = await server.running.platform.deployments.deployRepository(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(StartRefused);
      expect((error as Error).message)
        .to.contain(path.join(dir, 'cancel.bpmn'))
        .and.contain('Task_Archive')
        .and.contain('zeebe:TaskDefinition');
      expect(await server.running.platform.deployments.latest('bpmn', 'repository-good-process')).to.equal(undefined);
    });
  });

  describe('listeners', () => {
    it('announces new versions after commit, and nothing for an unchanged deployment', async () => {
      const seen: DeployedResource[][] = [];
      server.running.platform.deployments.onDeployed((resources) => {
        seen.push(resources);
      });
      const content = applyV1.replaceAll(APPLY, 'public-place-hygiene-permit-cancel');
      await deploy(['cancel.bpmn', content]);
      await deploy(['cancel.bpmn', content]);
      expect(seen).to.have.length(1);
      expect(seen[0].map((r) => [r.id, r.version, r.content === content])).to.deep.equal([['public-place-hygiene-permit-cancel', 1, true]]);
    });
  });
});
