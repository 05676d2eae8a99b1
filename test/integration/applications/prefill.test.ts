import { expect } from 'chai';
import sharp from 'sharp';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';
const REISSUE = 'publication-licence-reissue';
const STAFF_CHANGE = 'dangerous-goods-staff-employer-change';
const ENTERPRISE1_USCC = '91110000600037341L';
const EMPLOYEE_ID = '360426199101010071';

/** Each matter and action as its demo applicant meets it first, with the questionnaire answered. */
const FIRST_DRAFTS = [
  {
    matter: HYGIENE,
    action: 'apply',
    user: 'enterprise2',
    answers: { venueType: 'accommodation', commitmentMode: 'commit', airConditioning: 'no', agent: 'self' },
  },
  { matter: HYGIENE, action: 'change', user: 'enterprise1', answers: { changeItems: ['legal-representative'], agent: 'self' } },
  { matter: HYGIENE, action: 'renew', user: 'enterprise1', answers: { renewChanges: 'none', airConditioning: 'no', agent: 'self' } },
  { matter: HYGIENE, action: 'cancel', user: 'enterprise1', answers: { cancelReason: 'stopped', agent: 'self' } },
  { matter: REISSUE, action: 'apply', user: 'enterprise1', answers: { registrationChanged: 'no', lossType: 'lost', agent: 'self' } },
  { matter: STAFF_CHANGE, action: 'apply', user: 'enterprise3', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
];

/**
 * Drafts through the API on the real server and database: what the platform fills at creation and when the second
 * party is named, what the last application offers again, and what the process's re-check finds changed.
 */
describe('Applications: prefilled drafts (real server, database and registries)', function () {
  this.timeout(60_000);
  let server: TestServer;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    // No review worker: a submitted case waits at its review, after the prefill re-check these tests look at.
    server = await startTestServer({ disabledWorkers: ['review'] });
  });
  after(() => server?.close());

  const specOf = (matter: string, action: string) => server.running.platform.matters.get(matter)!.actions[action as 'apply']!;
  const create = async (user: string, json: Record<string, unknown>) => {
    const reply = await server.request('POST', '/api/v1/applications', { token: await server.login(user), json });
    expect(reply.status, reply.text).to.equal(201);
    return reply.body;
  };

  describe('at creation, before the applicant types anything', () => {
    for (const c of FIRST_DRAFTS) {
      it(`${c.matter} ${c.action}: asks only what only the applicant can know${c.action === 'change' ? ', at most 10 fields' : ''}`, async () => {
        const draft = await create(c.user, { matter: c.matter, action: c.action, answers: c.answers });
        const spec = specOf(c.matter, c.action);
        const applicantOnly = spec.fields.filter((f) => f.prefill.from === 'applicant').map((f) => f.key);
        const awaiting: string[] = draft.prefill.awaiting?.fills ?? [];
        expect(
          draft.prefill.toType.filter((k: string) => !applicantOnly.includes(k)),
          'left to type though the platform knows it',
        ).to.deep.equal([]);
        for (const f of spec.fields.filter((x) => x.prefill.from !== 'applicant' && !awaiting.includes(x.key))) {
          expect(draft.form[f.key], f.key).to.include({ locked: true });
          expect(draft.form[f.key].value, f.key).not.to.equal(null);
        }
        if (c.matter === HYGIENE && c.action === 'change') {
          expect(draft.prefill.totalFields).to.equal(21);
          expect(draft.prefill.toType.length).to.be.at.most(10);
        }
      });
    }

    it("dangerous-goods change: the employee's ID number is all there is to type of them; the rest fills in at once when it is PATCHed", async () => {
      const draft = await create('enterprise3', { matter: STAFF_CHANGE, action: 'apply', answers: FIRST_DRAFTS[5].answers });
      const employeeFields = [
        'staffName',
        'staffMobile',
        'qualificationNumber',
        'qualificationCategory',
        'qualificationValidUntil',
        'previousEmployer',
      ];
      expect(draft.prefill.toType).to.deep.equal(['staffIdNumber', 'employmentStart', 'contactName', 'contactPhone']);
      expect(draft.prefill.awaiting).to.deep.equal({ field: 'staffIdNumber', fills: employeeFields });
      const named = await server.request('PATCH', `/api/v1/applications/${draft.id}`, {
        token: await server.login('enterprise3'),
        json: { form: { staffIdNumber: EMPLOYEE_ID } },
      });
      expect(named.status, named.text).to.equal(200);
      expect(named.body.form.staffName).to.deep.equal({ value: '张伟', source: 'registry', locked: true });
      expect(named.body.form.staffMobile).to.include({ source: 'registry', locked: true });
      for (const key of ['qualificationNumber', 'qualificationCategory', 'qualificationValidUntil', 'previousEmployer'])
        expect(named.body.form[key], key).to.include({ source: 'license', locked: true });
      expect(named.body.form.previousEmployer.value).to.be.a('string').and.not.be.empty;
      expect(named.body.prefill.toType).to.deep.equal(['employmentStart', 'contactName', 'contactPhone']);
      expect(named.body.prefill.awaiting).to.equal(null);
      expect(named.body.prefill.prefilledFields).to.equal(10);
    });
  });

  /** A hygiene-permit change of enterprise1, typed, with its ID card uploaded, submitted. */
  async function submitChange(typed: Record<string, unknown> = HYGIENE_CHANGE_FORM, beforeSubmit?: () => Promise<void>) {
    const token = await server.login('enterprise1');
    const draft = await create('enterprise1', { matter: HYGIENE, action: 'change', answers: FIRST_DRAFTS[1].answers });
    const patched = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token, json: { form: typed } });
    expect(patched.status, patched.text).to.equal(200);
    const body = new FormData();
    body.append('materialCode', 'HP-13');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    body.append('file', new Blob([new Uint8Array(png)]), 'id.png');
    expect((await server.request('POST', `/api/v1/applications/${draft.id}/materials`, { token, body })).status).to.equal(201);
    await beforeSubmit?.();
    const submitted = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
      token,
      headers: { 'idempotency-key': `prefill-${draft.id}` },
    });
    expect(submitted.status, submitted.text).to.equal(202);
    return draft.id as string;
  }

  describe("the applicant's last application of the matter", () => {
    it('offers what they typed last time again, as history and open to change, for the fields that keep; not one-off facts, not to others', async () => {
      const token = await server.login('enterprise1');
      const typed = { ...HYGIENE_CHANGE_FORM, contactName: '林海燕', contactPhone: '13700002222', hygieneManager: '林海燕' };
      const last = await submitChange(typed);
      expect((await server.request('POST', `/api/v1/applications/${last}/withdraw`, { token })).status).to.equal(200);

      const again = await create('enterprise1', { matter: HYGIENE, action: 'change', answers: FIRST_DRAFTS[1].answers });
      for (const key of ['contactName', 'contactPhone', 'hygieneManager', 'hygieneManagerPhone', 'staffCount', 'certifiedStaffCount'])
        expect(again.form[key], key).to.deep.equal({ value: typed[key as keyof typeof typed], source: 'history', locked: false });
      expect(again.form.changeReason.value, 'the reason of a change is not the next one').to.equal(null);
      expect(again.form.registrationChangeDate.value).to.equal(null);
      expect(again.prefill.toType).to.deep.equal(['changeReason', 'registrationChangeDate', 'commitmentAccepted']);
      expect(again.prefill.ratio).to.be.greaterThan(0.75);

      // Another action of the same matter draws on it too; the applicant may change it.
      const cancel = await create('enterprise1', { matter: HYGIENE, action: 'cancel', answers: FIRST_DRAFTS[3].answers });
      expect(cancel.form.contactName).to.deep.equal({ value: '林海燕', source: 'history', locked: false });
      const edited = await server.request('PATCH', `/api/v1/applications/${cancel.id}`, {
        token,
        json: { form: { contactName: '陈晓东' } },
      });
      expect(edited.status, edited.text).to.equal(200);
      expect(edited.body.form.contactName).to.deep.equal({ value: '陈晓东', source: 'applicant', locked: false });

      // Not another matter, not another applicant.
      const reissue = await create('enterprise1', { matter: REISSUE, action: 'apply', answers: FIRST_DRAFTS[4].answers });
      expect(reissue.form.contactName.value).to.equal(null);
      const other = await create('enterprise2', { matter: HYGIENE, action: 'apply', answers: FIRST_DRAFTS[0].answers });
      expect(other.form.contactName.value).to.equal(null);
    });
  });

  describe("the process's prefill re-check", () => {
    it('takes what the registry changed between draft and submission, and the timeline, the audit log and the process record it', async () => {
      const before = await knex()('enterprises').where({ uscc: ENTERPRISE1_USCC }).first('legal_representative_name');
      try {
        const id = await submitChange(HYGIENE_CHANGE_FORM, () =>
          knex()('enterprises').where({ uscc: ENTERPRISE1_USCC }).update({ legal_representative_name: '周建国' }),
        );
        const token = await server.login('enterprise1');
        const read = async () => (await server.request('GET', `/api/v1/applications/${id}`, { token })).body;
        await eventually(read, (v) => v.timeline.some((e: any) => e.kind === 'prefill'), 20_000);
        // Read again: the view reads the row before its timeline, and the re-check commits both at once.
        const view = await read();
        const refreshed = view.timeline.find((e: any) => e.kind === 'prefill');
        expect(refreshed.message).to.equal('复核共享数据：以下信息已更新为最新登记信息：变更后法定代表人（负责人）');
        expect(view.form.legalRepresentative).to.deep.equal({ value: '周建国', source: 'registry', locked: true });
        expect(view.form.changeReason.value, 'what the applicant typed stays').to.equal(HYGIENE_CHANGE_FORM.changeReason);
        await server.running.platform.audit.flush();
        const audit = await knex()('audit_log').where({ action: 'application.prefill-refreshed', entity_id: id }).first('data');
        expect(JSON.parse(typeof audit.data === 'string' ? audit.data : JSON.stringify(audit.data))).to.deep.include({
          changedFields: ['legalRepresentative'],
        });
        const instance = await server.running.platform.engine.getInstance(String(view.processInstanceKey));
        expect(instance!.variables.prefill).to.deep.equal({ changedFields: ['legalRepresentative'] });
        await server.request('POST', `/api/v1/applications/${id}/withdraw`, { token });
      } finally {
        await knex()('enterprises').where({ uscc: ENTERPRISE1_USCC }).update(before);
      }
    });
  });
});
