import { expect } from 'chai';
import { idCardPhoto, personRow } from './documents';
import { eventually } from './engine';
import { enterpriseRepresentative, HYGIENE_CHANGE_FORM } from './hygiene-change';
import type { TestServer } from './server';

export const HYGIENE = 'public-place-hygiene-permit';
/** applicant1, 张伟: the employee of enterprise3's change of employer. */
const EMPLOYEE_ID = '360426199101010071';

/**
 * enterprise1's hygiene-permit change whose ID card names someone else (赵六), submitted through the API: a blocking
 * finding sends it to the health clerks, starting with acceptance.
 */
export async function submitFlawedChange(server: TestServer, enterprise: string): Promise<string> {
  const created = await server.request('POST', '/api/v1/applications', {
    token: enterprise,
    json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' } },
  });
  expect(created.status, created.text).to.equal(201);
  const id = created.body.id as string;
  await server.request('PATCH', `/api/v1/applications/${id}`, { token: enterprise, json: { form: HYGIENE_CHANGE_FORM } });
  const photo = await idCardPhoto({ ...(await enterpriseRepresentative(server.running.platform.db.knex)), name: '赵六' });
  const body = new FormData();
  body.append('materialCode', 'HP-13');
  body.append('file', new Blob([new Uint8Array(photo)]), 'HP-13.jpg');
  expect((await server.request('POST', `/api/v1/applications/${id}/materials`, { token: enterprise, body })).status).to.equal(201);
  const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
    token: enterprise,
    headers: { 'idempotency-key': `flawed-${id}` },
  });
  expect(submitted.status, submitted.text).to.equal(202);
  return id;
}

/** The case's open task with this form, as the worklist of `token` lists it, once it is there. */
export async function openTaskOf(server: TestServer, token: string, caseId: string, formId: string): Promise<any> {
  const list = await eventually(
    async () => (await server.request('GET', `/api/v1/tasks?limit=500`, { token })).body as any[],
    (tasks) => tasks.some((t) => t.application?.id === caseId && t.formId === formId),
    30_000,
  );
  return list.find((t) => t.application?.id === caseId && t.formId === formId);
}

/** Claims the task and completes it with the decision; the reply of the completion. */
export async function decide(server: TestServer, token: string, taskId: string, json: Record<string, unknown>) {
  const claimed = await server.request('POST', `/api/v1/tasks/${taskId}/claim`, { token });
  expect(claimed.status, claimed.text).to.equal(200);
  return server.request('POST', `/api/v1/tasks/${taskId}/complete`, { token, json });
}

/**
 * enterprise3's change of employer for applicant1 whose ID card carries another person's number, submitted and
 * confirmed by applicant1 through the API: a blocking finding sends it to the transport clerks. Several may be open.
 * `beforeConfirming` runs once the confirmation is asked for (a test moves its clock there).
 */
export async function submitFlawedEmployerChange(
  server: TestServer,
  beforeConfirming: (applicationId: string) => Promise<void> = async () => {},
): Promise<string> {
  const knex = server.running.platform.db.knex;
  const enterprise = await server.login('enterprise3');
  const created = await server.request('POST', '/api/v1/applications', {
    token: enterprise,
    json: {
      matter: 'dangerous-goods-staff-employer-change',
      action: 'apply',
      answers: { staffCategory: 'driver', certificateOrigin: 'local' },
    },
  });
  expect(created.status, created.text).to.equal(201);
  const id = created.body.id as string;
  const form = { staffIdNumber: EMPLOYEE_ID, employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' };
  expect((await server.request('PATCH', `/api/v1/applications/${id}`, { token: enterprise, json: { form } })).status).to.equal(200);
  const [employee, other] = [await personRow(knex, EMPLOYEE_ID), await personRow(knex, '11010519491231002X')];
  const card = await idCardPhoto({ ...employee, id_number: other.id_number, birth_date: other.birth_date, sex: other.sex });
  const body = new FormData();
  body.append('materialCode', 'DG-02');
  body.append('file', new Blob([new Uint8Array(card)]), 'DG-02.jpg');
  expect((await server.request('POST', `/api/v1/applications/${id}/materials`, { token: enterprise, body })).status).to.equal(201);
  const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
    token: enterprise,
    headers: { 'idempotency-key': `employer-${id}` },
  });
  expect(submitted.status, submitted.text).to.equal(202);
  const staff = await server.login('applicant1');
  const pending = await eventually(
    async () => (await server.request('GET', '/api/v1/confirmations', { token: staff })).body.filter((c: any) => c.applicationId === id),
    (list) => list.length === 1,
    30_000,
  );
  await beforeConfirming(id);
  const answered = await server.request('POST', `/api/v1/confirmations/${pending[0].token}`, { token: staff, json: { accept: true } });
  expect(answered.status, answered.text).to.equal(200);
  return id;
}
