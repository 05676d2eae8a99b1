import { expect } from 'chai';
import { idCardPhoto, personRow } from '../../support/documents';
import { eventually } from '../../support/engine';
import { ChatCompletionsServer, type ChatAnswer } from '../../support/chat-completions-server';
import { startTestServer, type TestServer } from '../../support/server';
import { PROMPT_VERSION } from '../../../workers/ai-review/index';
import { enterpriseRepresentative, HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';
const MODEL_TIMEOUT_MS = 2000;

/**
 * Feature: the optional AI reviewer advises, the review table decides.
 * Given the real server with AI_REVIEW_* pointing to a loopback model speaking the chat-completions protocol, when an
 * enterprise submits a hygiene-permit change (real OCR, real review table), then the model's findings are recorded as
 * warnings with the model and prompt version, and the case is decided by the rules whatever the model says or fails
 * to say.
 */
describe('AI review: advisory findings recorded, the case decided by the review table alone', function () {
  this.timeout(180_000);
  let model: ChatCompletionsServer;
  let server: TestServer;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    model = await ChatCompletionsServer.start();
    server = await startTestServer({ aiReview: { url: model.url, model: 'loopback-qwen', timeoutMs: MODEL_TIMEOUT_MS } });
  });
  after(async () => {
    await server?.close();
    await model?.close();
  });

  const representative = () => enterpriseRepresentative(knex());

  /** A hygiene-permit change of legal representative, the new one's ID card uploaded; submitted, and settled. */
  async function changeRepresentative(name?: string) {
    const token = await server.login('enterprise1');
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    expect(created.status, created.text).to.equal(201);
    const id: string = created.body.id;
    const form = HYGIENE_CHANGE_FORM;
    expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token, json: { form } })).status).to.equal(200);
    const person = await representative();
    const body = new FormData();
    body.append('materialCode', 'HP-13');
    body.append('file', new Blob([new Uint8Array(await idCardPhoto(name ? { ...person, name } : person))]), '身份证.jpg');
    const uploaded = await server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
    expect(uploaded.status, uploaded.text).to.equal(201);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `submit-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    const view = await eventually(
      async () => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body,
      (v) => (v.status === 'approved' && v.result !== null) || v.status === 'manual_review' || v.status === 'rejected',
      90_000,
    );
    const event = await knex()('application_events').where({ application_id: id, kind: 'ai-review' }).first('message', 'data');
    const instances = await knex()('process_instances').whereRaw(`variables->>'applicationId' = ?`, [id]).pluck('variables');
    const aiReview = instances.map((v: any) => v.aiReview).find(Boolean);
    return { id, token, person, view, event, aiReview };
  }
  const answering = (answer: ChatAnswer) => (model.answer = () => answer);
  const blocking = (view: any) => view.findings.filter((f: any) => f.severity === 'block').map((f: any) => f.point);

  // The flawed cases first, each withdrawn: the clean one approved changes the permit, and the same change cannot be made twice.
  const flawed: { when: string; answer: ChatAnswer; says: string; failed?: string }[] = [
    { when: 'seeing nothing', answer: { content: { findings: [] } }, says: '未发现需要提示的问题' },
    { when: 'not answering in time', answer: 'hang', says: '模型未在时限内应答', failed: 'timeout' },
    {
      when: 'answering something that is not JSON',
      answer: { content: '该申请材料齐全，建议批准。' },
      says: '应答格式不正确',
      failed: 'malformed',
    },
    { when: 'answering JSON of another shape', answer: { content: { approved: true } }, says: '不符合约定的格式', failed: 'schema' },
    {
      when: 'failing with HTTP 500',
      answer: { status: 500, body: '{"error":{"message":"overloaded"}}' },
      says: '返回错误',
      failed: 'status',
    },
  ];
  for (const { when, answer, says, failed } of flawed) {
    it(`flawed case, the model ${when}: the timeline says so, and it reaches a clerk with exactly the rules' finding`, async () => {
      answering(answer);
      const { id, token, view, event, aiReview } = await changeRepresentative('王建国');
      expect(view.status).to.equal('manual_review');
      expect(blocking(view)).to.deep.equal(['HP-R12']);
      expect(event.message).to.include(says);
      if (failed) expect(event.message).to.include('按审查规则继续办理');
      const expected = { findings: [], model: 'loopback-qwen', promptVersion: PROMPT_VERSION, ...(failed ? { failed } : {}) };
      expect(event.data).to.deep.equal(expected);
      expect(aiReview).to.deep.equal(expected);
      await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token });
    });
  }

  it('clean case, the model "blocking" it: its finding kept as a warning, recorded; approved with no person by the rules', async () => {
    answering({
      model: 'loopback-qwen-2026-11',
      content: { findings: [{ point: 'HP-R03', severity: 'block', message: '建议核实新任法定代表人的任职决议', field: 'changeReason' }] },
    });
    model.requests.length = 0;
    const { id, person, view, event, aiReview } = await changeRepresentative();
    expect(view.status, JSON.stringify(view.findings)).to.equal('approved');
    expect(view.findings).to.deep.equal([]);
    const advice = [{ point: 'HP-R03', severity: 'warn', message: '建议核实新任法定代表人的任职决议', field: 'changeReason' }];
    expect(event.data).to.deep.equal({ findings: advice, model: 'loopback-qwen-2026-11', promptVersion: PROMPT_VERSION });
    expect(event.message).to.include('仅供参考').and.include('建议核实新任法定代表人的任职决议');
    expect(aiReview).to.deep.equal(event.data);
    expect(view.timeline.map((e: any) => e.kind)).to.include('ai-review');
    // What the model was shown: the action's review points, the form, the ID card as read.
    const shown = JSON.parse(model.requests.at(-1)!.body.messages[1].content);
    expect(shown.reviewPoints.map((p: any) => p.id)).to.include('HP-R03');
    expect(shown.form).to.deep.include({ key: 'hygieneManager', label: '卫生管理员', value: '陈晓东' });
    expect(shown.materials[0]).to.include({ code: 'HP-13', documentType: 'id-card-front' });
    expect(shown.materials[0].fields).to.include({ idNumber: person.id_number, name: person.name });
    expect(shown.materials[0].text.replace(/\s/g, '')).to.include(person.name);
    await server.running.platform.audit.flush();
    const decided = await knex()('audit_log').where({ action: 'application.decided', entity_id: id }).first('data');
    expect(decided.data.basis).to.deep.include({ automatic: true });
    expect(JSON.stringify(decided.data.basis)).to.not.include('loopback');
    await server.running.platform.audit.flush();
    const audited = await knex()('audit_log').where({ action: 'application.ai-reviewed', entity_id: id }).first('data');
    expect(audited.data).to.deep.equal({ findings: ['HP-R03'], model: 'loopback-qwen-2026-11', promptVersion: PROMPT_VERSION });
  });
});
