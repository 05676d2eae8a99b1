import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { PersonRow } from '../../../server/registries/seed/people';
import { idCardPhoto, personRow } from '../../support/documents';
import { eventually } from '../../support/engine';
import type { TestServer } from '../../support/server';

export const HYGIENE = 'public-place-hygiene-permit';
export const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';

/** Cases made through the API as their applicants do, for the clerk's and the administrator's pages to show. */
export class Cases {
  constructor(private readonly server: TestServer) {}

  private get knex() {
    return this.server.running.platform.db.knex;
  }

  async upload(token: string, id: string, materialCode: string, bytes: Buffer, fileName: string): Promise<void> {
    const body = new FormData();
    body.append('materialCode', materialCode);
    body.append('file', new Blob([new Uint8Array(bytes)]), fileName);
    const reply = await this.server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
    if (reply.status !== 201) throw new Error(`upload ${materialCode}: ${reply.status} ${reply.text}`);
  }

  async submit(token: string, id: string): Promise<void> {
    const reply = await this.server.request('POST', `/api/v1/applications/${id}/submit`, {
      token,
      headers: { 'idempotency-key': `submit-${id}` },
    });
    if (reply.status !== 202) throw new Error(`submit ${id}: ${reply.status} ${reply.text}`);
  }

  view(token: string, id: string): Promise<any> {
    return this.server.request('GET', `/api/v1/applications/${id}`, { token }).then((r) => r.body);
  }

  /** Waits until the application reaches `status` (the engine and the workers run in the background). */
  until(token: string, id: string, ok: (view: any) => boolean, ms = 60_000): Promise<any> {
    return eventually(() => this.view(token, id), ok, ms);
  }

  /** Waits for the open task of the application in the worklist of `staff`. */
  async task(staff: string, applicationId: string): Promise<any> {
    const token = await this.server.login(staff);
    try {
      const tasks = await eventually(
        async () => (await this.server.request('GET', '/api/v1/tasks', { token })).body as any[],
        (list) => list.some((t) => t.application?.id === applicationId),
        60_000,
      );
      return tasks.find((t) => t.application?.id === applicationId);
    } catch (error) {
      // Say where the case stands: its timeline, its jobs and any incident of the engine.
      const admin = await this.server.login('admin');
      const view = await this.server.request('GET', `/api/v1/applications/${applicationId}`, { token: admin });
      const incidents = await this.server.request('GET', '/api/v1/incidents', { token: admin });
      const jobs = await this.knex('jobs')
        .whereRaw(`variables->>'applicationId' = ?`, [applicationId])
        .orderBy('key')
        .select('type', 'element_id', 'state', 'error_message');
      const tasks = await this.knex('tasks').where({ application_id: applicationId }).select('element_id', 'state', 'candidate_groups');
      throw new Error(
        `${(error as Error).message}\n  timeline: ${JSON.stringify(view.body?.timeline?.map((e: any) => e.message))}` +
          `\n  jobs: ${JSON.stringify(jobs)}\n  tasks: ${JSON.stringify(tasks)}\n  incidents: ${JSON.stringify(incidents.body)}`,
      );
    }
  }

  /** `staff` claims the application's open task and completes it with `body` (decision, comment, corrections). */
  async complete(staff: string, applicationId: string, body: Record<string, unknown>): Promise<void> {
    const token = await this.server.login(staff);
    const task = await this.task(staff, applicationId);
    const claimed = await this.server.request('POST', `/api/v1/tasks/${task.id}/claim`, { token });
    if (claimed.status !== 200) throw new Error(`claim: ${claimed.status} ${claimed.text}`);
    const done = await this.server.request('POST', `/api/v1/tasks/${task.id}/complete`, { token, json: body });
    if (done.status !== 200) throw new Error(`complete: ${done.status} ${done.text}`);
  }

  /**
   * A new hygiene permit (告知承诺) of enterprise2 whose uploaded ID card of the legal representative names someone
   * else: OCR disagrees with the registry's name on the form, review point HP-R12 fails, and the case goes to the health
   * clerks (new permits are never approved automatically).
   */
  async flawedHygienePermit(): Promise<{ id: string; token: string; caseNumber: string; representative: PersonRow }> {
    const token = await this.server.login('enterprise2');
    const created = await this.server.request('POST', '/api/v1/applications', {
      token,
      json: {
        matter: HYGIENE,
        action: 'apply',
        answers: { venueType: 'beauty-hairdressing', commitmentMode: 'commit', airConditioning: 'no', agent: 'self' },
      },
    });
    if (created.status !== 201) throw new Error(`draft: ${created.status} ${created.text}`);
    const id: string = created.body.id;
    const filled = await this.server.request('PATCH', `/api/v1/applications/${id}`, {
      token,
      json: {
        form: {
          premisesName: '丽人美发',
          premisesAddress: '北京市东城区东四北大街10号',
          businessItems: 'beauty-hairdressing',
          floorArea: 80,
          staffCount: 5,
          certifiedStaffCount: 5,
          hygieneManager: '李娜',
          hygieneManagerPhone: '13912345678',
          contactName: '李娜',
          contactPhone: '13912345678',
          commitmentAccepted: true,
        },
      },
    });
    if (filled.status !== 200) throw new Error(`fill: ${filled.status} ${filled.text}`);
    const representative = await this.representativeOf(created.body.form.uscc.value);
    await this.upload(token, id, 'HP-03', await idCardPhoto({ ...representative, name: '王建国' }), '法定代表人身份证.jpg');
    await this.upload(token, id, 'HP-04', await plainImage('#f4f4f4'), '平面布局图.jpg');
    await this.upload(token, id, 'HP-06', await onePagePdf(), '卫生管理制度.pdf');
    await this.upload(token, id, 'HP-08', await plainImage('#eef4fb'), '健康证明一览表.jpg');
    await this.submit(token, id);
    const view = await this.until(token, id, (v) => v.status === 'manual_review');
    return { id, token, caseNumber: view.caseNumber, representative };
  }

  /** The applicant hands in the right ID card and sends the corrections. */
  async correctHygienePermit(token: string, id: string, representative: PersonRow): Promise<void> {
    await this.upload(token, id, 'HP-03', await idCardPhoto(representative), '法定代表人身份证（补正）.jpg');
    const sent = await this.server.request('POST', `/api/v1/applications/${id}/corrections`, { token, json: {} });
    if (sent.status !== 202) throw new Error(`corrections: ${sent.status} ${sent.text}`);
  }

  /**
   * A dangerous-goods staff change of employer (transport department) whose ID card carries another person's number:
   * confirmed by the employee, then to the transport clerks.
   */
  async flawedTransportCase(): Promise<{ id: string; token: string; caseNumber: string }> {
    const token = await this.server.login('enterprise3');
    const created = await this.server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    if (created.status !== 201) throw new Error(`draft: ${created.status} ${created.text}`);
    const id: string = created.body.id;
    await this.server.request('PATCH', `/api/v1/applications/${id}`, {
      token,
      json: { form: { staffIdNumber: EMPLOYEE_ID, employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' } },
    });
    const employee = await personRow(this.knex, EMPLOYEE_ID);
    const other = await personRow(this.knex, '11010519491231002X');
    const card = await idCardPhoto({ ...employee, id_number: other.id_number, birth_date: other.birth_date, sex: other.sex });
    await this.upload(token, id, 'DG-02', card, 'id.jpg');
    await this.submit(token, id);
    const employeeToken = await this.server.login('applicant1');
    const pending = await eventually(
      async () =>
        (await this.server.request('GET', '/api/v1/confirmations', { token: employeeToken })).body.filter(
          (c: any) => c.applicationId === id,
        ),
      (list) => list.length === 1,
      30_000,
    );
    await this.server.request('POST', `/api/v1/confirmations/${pending[0].token}`, { token: employeeToken, json: { accept: true } });
    const view = await this.until(token, id, (v) => v.status === 'manual_review');
    return { id, token, caseNumber: view.caseNumber };
  }

  /**
   * `count` open reviews of the health clerks in bulk, as bench/worklist.ts seeds them (SQL, not the engine): cases of
   * enterprise2 under manual review, each with its instance and its task, due from `dueFrom` on a day apart, after every
   * case the tests make through the engine. For the worklist's later pages; they are listed, not worked on.
   */
  async seedHealthReviews(count: number, dueFrom: Date): Promise<void> {
    const knex = this.knex;
    const { id: applicant } = await knex('users').where({ username: 'enterprise2' }).first('id');
    const resource = await knex('resources')
      .where({ kind: 'bpmn', resource_id: 'common-review-decide-issue' })
      .orderBy('version', 'desc')
      .first('key', 'version');
    const base = 3_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
    const now = new Date().toISOString();
    for (let g = 1; g <= count; g++) {
      const id = `seeded-${base + g}`;
      const due = new Date(dueFrom.getTime() + g * 86_400_000);
      await knex('applications').insert({
        id,
        matter_slug: HYGIENE,
        action: 'apply',
        department: 'health',
        applicant_id: applicant,
        status: 'manual_review',
        case_number: `000172011000${now.slice(0, 10).replaceAll('-', '')}${String(base + g).slice(-7)}`,
        resume_code: `seeded-rc-${base + g}`,
        findings: JSON.stringify([]),
        created_at: now,
        updated_at: now,
        submitted_at: now,
      });
      await knex('process_instances').insert({
        key: base + g,
        bpmn_process_id: 'common-review-decide-issue',
        version: resource.version,
        resource_key: resource.key,
        state: 'active',
        variables: JSON.stringify({ applicationId: id }),
        started_by: 'seeded',
        started_at: now,
      });
      await knex('tasks').insert({
        instance_key: base + g,
        bpmn_process_id: 'common-review-decide-issue',
        element_id: 'Task_ClerkReview',
        element_instance_id: `seeded-${base + g}`,
        name: '窗口审查',
        candidate_groups: ['health'],
        due_date: due,
        form_key: 'common-clerk-review',
        application_id: id,
        sandbox: false,
        state: 'created',
        variables: JSON.stringify({ applicationId: id }),
        created_at: now,
      });
    }
  }

  private async representativeOf(uscc: string): Promise<PersonRow> {
    const enterprise = await this.knex('enterprises').where({ uscc }).first('legal_representative_id_number');
    return personRow(this.knex, enterprise.legal_representative_id_number);
  }
}

function plainImage(background: string): Promise<Buffer> {
  return sharp({ create: { width: 480, height: 320, channels: 3, background } })
    .jpeg()
    .toBuffer();
}

async function onePagePdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  page.drawText('Hygiene management rules', { x: 72, y: 760, size: 18 });
  return Buffer.from(await document.save());
}
