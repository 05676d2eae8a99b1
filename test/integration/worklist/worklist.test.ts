import { expect } from 'chai';
import { idCardPhoto, personRow } from '../../support/documents';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { enterpriseRepresentative, HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';

/** The clerk's side through the API: the worklist, claims, decisions, corrections, transfer, search, the counter, the figures. */
describe('Worklist: a flawed case to the clerk, returned, corrected, approved; the department boundary; the counter', function () {
  this.timeout(180_000);
  let server: TestServer;
  let enterprise1: string;
  let clerk: string;
  let chief: string;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    server = await startTestServer();
    enterprise1 = await server.login('enterprise1');
    clerk = await server.login('clerk.health');
    chief = await server.login('chief.health');
  });
  after(() => server?.close());

  const typed = HYGIENE_CHANGE_FORM;
  const representative = () => enterpriseRepresentative(knex());
  const upload = async (token: string, id: string, code: string, bytes: Buffer) => {
    const body = new FormData();
    body.append('materialCode', code);
    body.append('file', new Blob([new Uint8Array(bytes)]), `${code}.jpg`);
    const reply = await server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
    expect(reply.status, reply.text).to.equal(201);
  };
  const view = async (id: string, token = enterprise1) => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body;

  /** A hygiene-permit change whose ID card names someone else (赵六): submitted, on its way to the health clerks. */
  const submitFlawedChange = async (): Promise<string> => {
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    const id = created.body.id;
    await server.request('PATCH', `/api/v1/applications/${id}`, { token: enterprise1, json: { form: typed } });
    await upload(enterprise1, id, 'HP-13', await idCardPhoto({ ...(await representative()), name: '赵六' }));
    await server.request('POST', `/api/v1/applications/${id}/submit`, { token: enterprise1, headers: { 'idempotency-key': `k-${id}` } });
    return id;
  };

  let caseId: string;
  let taskId: string;

  it('a flawed case reaches the health clerks with its findings, and no other department sees it', async () => {
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
    });
    caseId = created.body.id;
    await server.request('PATCH', `/api/v1/applications/${caseId}`, { token: enterprise1, json: { form: typed } });
    await upload(enterprise1, caseId, 'HP-13', await idCardPhoto({ ...(await representative()), name: '王建国' }));
    await server.request('POST', `/api/v1/applications/${caseId}/submit`, {
      token: enterprise1,
      headers: { 'idempotency-key': `k-${caseId}` },
    });
    const tasks = await eventually(
      async () => (await server.request('GET', '/api/v1/tasks', { token: clerk })).body as any[],
      (list) => list.some((t) => t.application?.id === caseId),
      30_000,
    );
    const task = tasks.find((t) => t.application.id === caseId);
    taskId = task.id;
    // A case on the clerk path starts with acceptance (受理).
    expect(task).to.include({ state: 'open', assignee: null, formId: 'common-clerk-acceptance', overdue: false });
    expect(task.candidateGroups).to.deep.equal(['health']);
    expect(task.dueDate).to.be.a('string');
    expect(new Date(task.warnAt).getTime(), 'warned at 80% of the time').to.be.lessThan(new Date(task.dueDate).getTime());
    expect(task.application).to.include({ caseNumber: (await view(caseId)).caseNumber, status: 'manual_review', blockingFindings: 1 });
    expect(task.application.applicantName).to.include('*');
    const detail = await server.request('GET', `/api/v1/tasks/${taskId}`, { token: clerk });
    expect(detail.body.application.findings.map((f: any) => f.point)).to.deep.equal(['HP-R12']);
    const disagreement = detail.body.ocrComparison.find((c: any) => c.field === 'legalRepresentative');
    expect(disagreement).to.include({ agrees: false, ocrValue: '王建国', material: 'HP-13' });
    const transport = await server.login('clerk.transport');
    expect((await server.request('GET', '/api/v1/tasks', { token: transport })).body.map((t: any) => t.id)).not.to.include(taskId);
    expect((await server.request('GET', `/api/v1/tasks/${taskId}`, { token: transport })).status).to.equal(404);
    expect((await server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: transport })).status).to.equal(404);
    expect((await server.request('GET', `/api/v1/tasks/${taskId}`, { token: enterprise1 })).status).to.equal(403);
  });

  it('two clerks claim at once: one wins, the other gets 409; a double-click is harmless; only the holder completes', async () => {
    const [a, b] = await Promise.all([
      server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: clerk }),
      server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: chief }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const holder = a.status === 200 ? clerk : chief;
    const other = a.status === 200 ? chief : clerk;
    expect((await server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: holder })).status).to.equal(200);
    const stolen = await server.request('POST', `/api/v1/tasks/${taskId}/complete`, { token: other, json: { decision: 'approve' } });
    expect(stolen.status).to.equal(409);
    if (holder !== clerk) {
      expect((await server.request('POST', `/api/v1/tasks/${taskId}/unclaim`, { token: chief })).status).to.equal(200);
      expect((await server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token: clerk })).status).to.equal(200);
    }
  });

  it('a return names its corrections (400 without), the applicant corrects, and the case is decided automatically', async () => {
    const bare = await server.request('POST', `/api/v1/tasks/${taskId}/complete`, { token: clerk, json: { decision: 'return' } });
    expect(bare.status).to.equal(400);
    const wrongField = await server.request('POST', `/api/v1/tasks/${taskId}/complete`, {
      token: clerk,
      json: { decision: 'return', corrections: [{ field: 'favouriteColour', reason: 'x' }] },
    });
    expect(wrongField.status).to.equal(400);
    const returned = await server.request('POST', `/api/v1/tasks/${taskId}/complete`, {
      token: clerk,
      json: {
        decision: 'return',
        comment: '身份证明与登记信息不符',
        corrections: [{ material: 'HP-13', reason: '请上传变更后法定代表人本人的身份证' }],
      },
    });
    expect(returned.status, returned.text).to.equal(200);
    const waiting = await eventually(
      () => view(caseId),
      (v) => v.status === 'returned',
    );
    expect(waiting.corrections).to.deep.equal([{ material: 'HP-13', reason: '请上传变更后法定代表人本人的身份证' }]);
    expect((await server.request('GET', `/api/v1/tasks/${taskId}`, { token: clerk })).body.state).to.equal('done');
    await upload(enterprise1, caseId, 'HP-13', await idCardPhoto(await representative()));
    const corrected = await server.request('POST', `/api/v1/applications/${caseId}/corrections`, { token: enterprise1, json: {} });
    expect(corrected.status, corrected.text).to.equal(202);
    const decided = await eventually(
      () => view(caseId),
      (v) => v.status === 'approved' && v.result !== null,
      30_000,
    );
    expect(decided.timeline.map((e: any) => e.status).filter(Boolean)).to.deep.equal([
      'draft',
      'submitted',
      'reviewing',
      'manual_review',
      'returned',
      'reviewing',
      'approved',
    ]);
  });

  it('finds the case by number, name and code, masked, only in its department', async () => {
    const { caseNumber } = await view(caseId);
    for (const q of [caseNumber, '明德', '91110000600037341L']) {
      const found = await server.request('GET', `/api/v1/cases?q=${encodeURIComponent(q)}`, { token: clerk });
      expect(
        found.body.map((c: any) => c.id),
        q,
      ).to.include(caseId);
      expect(found.body[0].applicantName).to.include('*');
    }
    const culture = await server.request('GET', `/api/v1/cases?q=${caseNumber}`, { token: await server.login('clerk.culture') });
    expect(culture.body).to.deep.equal([]);
  });

  it('transfers a task within the department only', async () => {
    const id = await submitFlawedChange();
    const task = (
      await eventually(
        async () => (await server.request('GET', '/api/v1/tasks', { token: clerk })).body as any[],
        (list) => list.some((t) => t.application?.id === id),
        30_000,
      )
    ).find((t) => t.application.id === id);
    const colleagues = await server.request('GET', '/api/v1/colleagues', { token: clerk });
    expect(colleagues.body.groups).to.deep.equal(['health', 'health-chief']);
    expect(colleagues.body.staff.map((s: any) => s.id)).to.include.members(['clerk.health', 'chief.health']);
    expect(colleagues.body.staff.map((s: any) => s.id)).not.to.include('clerk.transport');
    const outside = await server.request('POST', `/api/v1/tasks/${task.id}/transfer`, { token: clerk, json: { group: 'transport' } });
    expect(outside.status).to.equal(400);
    const toChief = await server.request('POST', `/api/v1/tasks/${task.id}/transfer`, {
      token: clerk,
      json: { user: 'chief.health', reason: '疑难件' },
    });
    expect(toChief.status, toChief.text).to.equal(200);
    const held = await server.request('GET', '/api/v1/tasks?state=claimed&assignee=me', { token: chief });
    expect(held.body.map((t: any) => t.id)).to.include(task.id);
    await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: enterprise1 });
  });

  it('acceptance: a refusal needs its reason; accepting signs the acceptance notice and opens the review, due by the promised limit from acceptance', async () => {
    const id = await submitFlawedChange();
    const taskFor = async (formId: string) =>
      (
        await eventually(
          async () => (await server.request('GET', '/api/v1/tasks', { token: clerk })).body as any[],
          (list) => list.some((t) => t.application?.id === id && t.formId === formId && t.state !== 'done'),
          30_000,
        )
      ).find((t) => t.application.id === id && t.formId === formId);
    const acceptance = await taskFor('common-clerk-acceptance');
    expect((await server.request('POST', `/api/v1/tasks/${acceptance.id}/claim`, { token: clerk })).status).to.equal(200);
    const wrong = await server.request('POST', `/api/v1/tasks/${acceptance.id}/complete`, { token: clerk, json: { decision: 'approve' } });
    expect(wrong.status, 'acceptance offers accept, refuse, return').to.equal(400);
    const bareRefusal = await server.request('POST', `/api/v1/tasks/${acceptance.id}/complete`, {
      token: clerk,
      json: { decision: 'refuse' },
    });
    expect(bareRefusal.status).to.equal(400);
    expect(bareRefusal.body.error.message).to.contain('不予受理须写明理由');
    const accepted = await server.request('POST', `/api/v1/tasks/${acceptance.id}/complete`, {
      token: clerk,
      json: { decision: 'accept', comment: '材料齐全，予以受理' },
    });
    expect(accepted.status, accepted.text).to.equal(200);
    const review = await taskFor('common-clerk-review');
    // A change is promised in 1 working day, counted from acceptance: a due date of its own, not the 5 days to accept.
    expect(review.dueDate).not.to.equal(acceptance.dueDate);
    expect(new Date(review.dueDate).getTime()).to.be.greaterThan(server.clock.now().getTime());
    const notice = await eventually(
      () => knex()('documents').where({ application_id: id, kind: 'acceptance-notice' }).first('id', 'signer'),
      (row) => Boolean(row),
    );
    expect(notice.signer).to.be.a('string');
    const messages = (await view(id)).timeline.map((e: any) => e.message);
    expect(messages).to.include('受理审查：予以受理（材料齐全，予以受理）');
    expect(messages.some((m: string) => m.includes('受理通知书'))).to.equal(true);
    await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token: enterprise1 });
  });

  it('at the counter a clerk makes and submits a draft for an enterprise found by its code, recorded as such', async () => {
    const made = await server.request('POST', '/api/v1/counter/applications', {
      token: clerk,
      json: { holder: '91110000600037341L', matter: HYGIENE, action: 'cancel', answers: { cancelReason: 'stopped', agent: 'self' } },
    });
    expect(made.status, made.text).to.equal(201);
    expect(made.body.channel).to.equal('counter');
    const id = made.body.id;
    expect(
      (
        await server.request('PATCH', `/api/v1/applications/${id}`, {
          token: clerk,
          json: { form: { stopDate: '2026-11-20', contactName: '陈晓东', contactPhone: '13912345678' } },
        })
      ).status,
    ).to.equal(200);
    const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
      token: clerk,
      headers: { 'idempotency-key': `counter-${id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    // The enterprise sees it as its own.
    expect((await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 })).body.channel).to.equal('counter');
    await server.running.platform.audit.flush();
    const audit = await knex()('audit_log').where({ action: 'application.created-at-counter', entity_id: id }).first('actor', 'data');
    expect(audit).to.deep.include({ actor: 'clerk.health' });
    // The submission too says it came from the counter: which clerk, on whose behalf.
    const submission = await knex()('audit_log').where({ action: 'application.submitted', entity_id: id }).first('actor', 'data');
    expect(submission.actor).to.equal('clerk.health');
    expect(submission.data).to.include({ channel: 'counter', clerk: 'clerk.health', onBehalfOf: 'enterprise1' });
    const culture = await server.request('POST', '/api/v1/counter/applications', {
      token: await server.login('clerk.culture'),
      json: { holder: '91110000600037341L', matter: HYGIENE, action: 'cancel', answers: { cancelReason: 'stopped', agent: 'self' } },
    });
    expect(culture.status).to.equal(403);
    const unknown = await server.request('POST', '/api/v1/counter/applications', {
      token: clerk,
      json: { holder: '91110000600037342A', matter: HYGIENE, action: 'cancel', answers: {} },
    });
    expect(unknown.status).to.equal(400);
  });

  it('the figures per matter come from the data', async () => {
    const admin = await server.login('admin');
    // The counter's cancellation is decided automatically, a moment after its submission.
    const figures = await eventually(
      () => server.request('GET', '/api/v1/metrics', { token: admin }),
      (reply) => reply.status !== 200 || reply.body.matters.find((m: any) => m.matter === HYGIENE)?.autoApproved >= 2,
      30_000,
    );
    expect(figures.status, figures.text).to.equal(200);
    const hygiene = figures.body.matters.find((m: any) => m.matter === HYGIENE);
    expect(hygiene.applications).to.be.at.least(3);
    expect(hygiene.returns).to.be.at.least(1);
    expect(hygiene.decided).to.be.at.least(1);
    expect(hygiene.autoApproved, 'the corrected case was approved by no one: automatic').to.be.at.least(2);
    expect(hygiene.prefillRatio).to.be.greaterThan(0.5);
    expect(hygiene.busiestHours).to.have.length(24);
    expect(hygiene.busiestHours.reduce((a: number, b: number) => a + b, 0)).to.equal(hygiene.applications);
    expect((await server.request('GET', '/api/v1/metrics', { token: clerk })).status).to.equal(403);
    expect((await server.request('GET', '/api/v1/metrics?from=2026-13-01', { token: await server.login('admin') })).status).to.equal(400);
  });
});
