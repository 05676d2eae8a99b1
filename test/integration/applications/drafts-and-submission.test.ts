import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../../support/server';
import { HYGIENE_CHANGE_FORM } from '../../support/hygiene-change';

const HYGIENE = 'public-place-hygiene-permit';
const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
const APPLICANT1_ID = '360426199101010071';

/** The text a QR code image carries. */
async function decodeQr(image: ArrayBuffer): Promise<string | undefined> {
  const { data, info } = await sharp(Buffer.from(image)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
}

async function png(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
}

describe('Applications: drafts, materials and submission (real server, database and engine)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let enterprise1: string;
  let applicant1: string;
  let applicant2: string;

  before(async () => {
    // No review worker: a submitted case stays open (waiting at its review), as these tests of submission need.
    server = await startTestServer({ disabledWorkers: ['review'] });
    enterprise1 = await server.login('enterprise1');
    applicant1 = await server.login('applicant1');
    applicant2 = await server.login('applicant2');
  });
  after(() => server?.close());

  const changeDraft = (token = enterprise1, extra: Record<string, unknown> = {}) =>
    server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'self' }, ...extra },
    });

  const upload = (token: string, id: string, materialCode: string, bytes: Buffer, name = 'file.png') => {
    const body = new FormData();
    body.append('materialCode', materialCode);
    body.append('file', new Blob([new Uint8Array(bytes)]), name);
    return server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
  };

  const typedChange = HYGIENE_CHANGE_FORM;

  describe('a prefilled draft', () => {
    it('fills the hygiene-permit change from the e-licence library and the enterprise registry, locked, and leaves at most 10 fields to type', async () => {
      const reply = await changeDraft();
      expect(reply.status, reply.text).to.equal(201);
      const draft = reply.body;
      expect(draft.status).to.equal('draft');
      expect(draft.resumeCode).to.match(/^[0-9A-Z]{10}$/);
      expect(draft.form.licenseNumber).to.include({ source: 'license', locked: true });
      expect(draft.form.licenseNumber.value).to.be.a('string').and.not.be.empty;
      expect(draft.form.unitName).to.deep.include({ source: 'registry', locked: true, value: '上海明德餐饮管理有限公司' });
      expect(draft.form.uscc.value).to.equal('91110000600037341L');
      // The questionnaire's answer is the form's answer: not asked twice.
      expect(draft.form.changeItems).to.deep.equal({ value: ['legal-representative'], source: 'applicant', locked: false });
      expect(draft.prefill.totalFields).to.equal(21);
      expect(draft.prefill.toType.length).to.be.at.most(10);
      expect(draft.prefill.ratio).to.be.closeTo(11 / 21, 0.001);
      expect(draft.licenseId).to.be.a('string');
      const licenceMaterial = draft.materials.find((m: any) => m.code === 'HP-12');
      expect(licenceMaterial.exemptBecause).to.match(/电子证照库/);
      expect(draft.timeline[0]).to.include({ kind: 'created', status: 'draft' });
    });

    it('refuses a PATCH of a locked field, of a field that does not exist and of a malformed value, changing nothing', async () => {
      const { body: draft } = await changeDraft();
      const locked = await server.request('PATCH', `/api/v1/applications/${draft.id}`, {
        token: enterprise1,
        json: { form: { unitName: '别的名称' } },
      });
      expect(locked.status).to.equal(400);
      expect(locked.body.error.code).to.equal('FIELD_LOCKED');
      expect(locked.body.error.details[0].field).to.equal('body.form.unitName');
      const unknown = await server.request('PATCH', `/api/v1/applications/${draft.id}`, {
        token: enterprise1,
        json: { form: { contactName: '王五', favouriteColour: 'blue' } },
      });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error.details.map((d: any) => d.field)).to.deep.equal(['body.form.favouriteColour']);
      const malformed = await server.request('PATCH', `/api/v1/applications/${draft.id}`, {
        token: enterprise1,
        json: { form: { contactPhone: '12345', registrationChangeDate: '2026-02-30', staffCount: '12' } },
      });
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error.details.map((d: any) => d.field)).to.have.members([
        'body.form.contactPhone',
        'body.form.registrationChangeDate',
        'body.form.staffCount',
      ]);
      const after = await server.request('GET', `/api/v1/applications/${draft.id}`, { token: enterprise1 });
      expect(after.body.form.contactName.value).to.equal(null);
      expect(after.body.form.unitName.value).to.equal('上海明德餐饮管理有限公司');
    });

    it('takes typed values and keeps them as the applicant typed them', async () => {
      const { body: draft } = await changeDraft();
      const reply = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: enterprise1, json: { form: typedChange } });
      expect(reply.status, reply.text).to.equal(200);
      expect(reply.body.form.staffCount).to.deep.equal({ value: 12, source: 'applicant', locked: false });
      expect(reply.body.prefill.toType).to.deep.equal([]);
    });
  });

  describe('bad requests change nothing', () => {
    it('refuses an unknown matter, an unknown action and answers to questions that do not exist (400)', async () => {
      const matter = await server.request('POST', '/api/v1/applications', {
        token: enterprise1,
        json: { matter: 'no-such-matter', action: 'apply' },
      });
      expect(matter.status).to.equal(400);
      expect(matter.body.error.details[0].field).to.equal('body.matter');
      const action = await server.request('POST', '/api/v1/applications', {
        token: enterprise1,
        json: { matter: 'publication-licence-reissue', action: 'renew' },
      });
      expect(action.status).to.equal(400);
      expect(action.body.error.details[0].field).to.equal('body.action');
      const answers = await server.request('POST', '/api/v1/applications', {
        token: enterprise1,
        json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['unit-name'], colour: 'red' } },
      });
      expect(answers.status).to.equal(400);
      expect(answers.body.error.details.map((d: any) => d.field)).to.include('body.answers.colour');
    });

    it('refuses a change of a licence that belongs to someone else (422) and a change by someone who holds none', async () => {
      const mine = await changeDraft();
      const someoneElses = await server.request('POST', '/api/v1/applications', {
        token: applicant2,
        json: { matter: HYGIENE, action: 'change', licenseId: mine.body.licenseId, answers: { changeItems: ['unit-name'], agent: 'self' } },
      });
      expect(someoneElses.status).to.equal(422);
      expect(someoneElses.body.error.code).to.equal('NOT_ELIGIBLE');
      const enterprise2 = await server.login('enterprise2');
      const stranger = await changeDraft(enterprise2, { licenseId: mine.body.licenseId });
      expect(stranger.status).to.equal(422);
      expect(stranger.body.error.details.reasons.join()).to.match(/没有这张/);
    });

    it("answers 404, not 403, for another applicant's application, and lists only the caller's own", async () => {
      const { body: draft } = await changeDraft();
      for (const path of [`/api/v1/applications/${draft.id}`, `/api/v1/applications/${draft.id}/qr.png`]) {
        const reply = await server.request('GET', path, { token: applicant2 });
        expect(reply.status, path).to.equal(404);
      }
      const patch = await server.request('PATCH', `/api/v1/applications/${draft.id}`, {
        token: applicant2,
        json: { form: { contactName: 'x' } },
      });
      expect(patch.status).to.equal(404);
      const submit = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
        token: applicant2,
        headers: { 'idempotency-key': 'someone-else-0001' },
      });
      expect(submit.status).to.equal(404);
      expect((await upload(applicant2, draft.id, 'HP-13', await png())).status).to.equal(404);
      expect((await server.request('POST', `/api/v1/applications/${draft.id}/withdraw`, { token: applicant2 })).status).to.equal(404);
      const list = await server.request('GET', '/api/v1/applications', { token: applicant2 });
      expect(list.body.map((a: any) => a.id)).not.to.include(draft.id);
      const own = await server.request('GET', '/api/v1/applications?status=draft', { token: enterprise1 });
      expect(own.body.map((a: any) => a.id)).to.include(draft.id);
    });
  });

  describe('an administrator', () => {
    it("should NOT edit, upload to, submit or withdraw an applicant's application (403), which they may read; nothing changes", async () => {
      const { body: draft } = await changeDraft();
      await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: enterprise1, json: { form: typedChange } });
      const admin = await server.login('admin');
      const before = (await server.request('GET', `/api/v1/applications/${draft.id}`, { token: admin })).body;
      expect(before.id).to.equal(draft.id);
      const attempts = [
        await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: admin, json: { form: { changeReason: '管理员改的' } } }),
        await upload(admin, draft.id, 'HP-13', await png()),
        await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
          token: admin,
          headers: { 'idempotency-key': 'admin-submit-01' },
        }),
        await server.request('POST', `/api/v1/applications/${draft.id}/withdraw`, { token: admin }),
      ];
      expect(attempts.map((r) => r.status)).to.deep.equal([403, 403, 403, 403]);
      const after = (await server.request('GET', `/api/v1/applications/${draft.id}`, { token: enterprise1 })).body;
      expect(after.status).to.equal('draft');
      expect(after.form).to.deep.equal(before.form);
      expect(after.materials.every((m: any) => m.handedIn === null)).to.equal(true);
      expect(after.timeline).to.deep.equal(before.timeline);
    });
  });

  describe('materials', () => {
    let id: string;
    before(async () => {
      id = (await changeDraft()).body.id;
    });

    it('refuses a renamed .exe (415), an empty file (400) and a 50 MB file (413), storing nothing', async () => {
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2000, 7)]);
      const renamed = await upload(enterprise1, id, 'HP-13', exe, '身份证.png');
      expect(renamed.status).to.equal(415);
      expect(renamed.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
      const empty = await upload(enterprise1, id, 'HP-13', Buffer.alloc(0), 'empty.pdf');
      expect(empty.status).to.equal(400);
      expect(empty.body.error.code).to.equal('EMPTY_FILE');
      const huge = await upload(enterprise1, id, 'HP-13', Buffer.concat([await png(), Buffer.alloc(50 * 1024 * 1024)]), 'photo.png');
      expect(huge.status).to.equal(413);
      const unknownCode = await upload(enterprise1, id, 'HP-99', await png());
      expect(unknownCode.status).to.equal(400);
      const after = await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 });
      expect(after.body.materials.every((m: any) => m.handedIn === null)).to.equal(true);
    });

    it('stores a PNG by SHA-256 and replaces it on a second upload, keeping the old one in the record', async () => {
      const first = await upload(enterprise1, id, 'HP-13', await png(), '身份证正面.png');
      expect(first.status, first.text).to.equal(201);
      expect(first.body.sha256).to.match(/^[0-9a-f]{64}$/);
      expect(first.body.mediaType).to.equal('image/png');
      const document = await PDFDocument.create();
      document.addPage();
      const pdf = Buffer.from(await document.save());
      const second = await upload(enterprise1, id, 'HP-13', pdf, 'scan.pdf');
      expect(second.status, second.text).to.equal(201);
      const view = await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 });
      const material = view.body.materials.find((m: any) => m.code === 'HP-13');
      expect(material.handedIn.id).to.equal(second.body.id);
      expect(material.replaced.map((r: any) => r.id)).to.deep.equal([first.body.id]);
      expect(await server.running.platform.storage.has(first.body.sha256)).to.equal(true);
    });
  });

  describe('submission', () => {
    it('lists every missing field and material (400) and submits nothing', async () => {
      // Through an agent: the power of attorney (HP-09) is the one material the platform cannot fetch.
      const { body: draft } = await server.request('POST', '/api/v1/applications', {
        token: enterprise1,
        json: { matter: HYGIENE, action: 'change', answers: { changeItems: ['legal-representative'], agent: 'agent' } },
      });
      const reply = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
        token: enterprise1,
        headers: { 'idempotency-key': 'incomplete-0001' },
      });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.code).to.equal('INCOMPLETE');
      const fields = reply.body.error.details.map((d: any) => d.field);
      expect(fields).to.include.members(['form.changeReason', 'form.contactPhone', 'materials.HP-09']);
      expect(fields).not.to.include('materials.HP-12');
      expect(fields).not.to.include('form.unitName');
      const after = await server.request('GET', `/api/v1/applications/${draft.id}`, { token: enterprise1 });
      expect(after.body.status).to.equal('draft');
      expect(after.body.caseNumber).to.equal(null);
    });

    it('needs an Idempotency-Key', async () => {
      const { body: draft } = await changeDraft();
      const reply = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, { token: enterprise1 });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.details[0].field).to.equal('headers.idempotency-key');
    });

    it('submits once: the same key answers the same, another key is 409, a submit racing itself starts one process', async () => {
      const { body: draft } = await changeDraft();
      await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: enterprise1, json: { form: typedChange } });
      expect((await upload(enterprise1, draft.id, 'HP-13', await png())).status).to.equal(201);
      const submitWith = (key: string) =>
        server.request('POST', `/api/v1/applications/${draft.id}/submit`, { token: enterprise1, headers: { 'idempotency-key': key } });
      const race = await Promise.all([submitWith('race-key-aaaa'), submitWith('race-key-bbbb'), submitWith('race-key-aaaa')]);
      const accepted = race.filter((r) => r.status === 202);
      const refused = race.filter((r) => r.status === 409);
      expect(accepted.length + refused.length).to.equal(3);
      expect(new Set(accepted.map((r) => r.body.caseNumber)).size).to.equal(1);
      const caseNumber = accepted[0].body.caseNumber;
      expect(caseNumber).to.match(/^000172011000\d{8}\d{6,}$/);
      const winner = accepted[0] === race[1] ? 'race-key-bbbb' : 'race-key-aaaa';
      const again = await submitWith(winner);
      expect(again.status).to.equal(202);
      // The same answer, with the status the application has now (the process has moved it on meanwhile).
      expect(again.body).to.deep.include({ id: draft.id, caseNumber });
      expect(again.body.status).to.be.oneOf(['submitted', 'reviewing']);
      const other = await submitWith('another-key-0001');
      expect(other.status).to.equal(409);
      const instances = await server.running.platform.db
        .knex('process_instances')
        .whereRaw(`variables->>'applicationId' = ?`, [draft.id])
        .whereNull('parent_key');
      expect(instances).to.have.length(1);
      const view = await server.request('GET', `/api/v1/applications/${draft.id}`, { token: enterprise1 });
      expect(view.body.caseNumber).to.equal(caseNumber);
      expect(view.body.timeline.map((e: any) => e.message).join('\n')).to.include(caseNumber);
      // A second draft for the same licence is refused while this one is open.
      const second = await changeDraft();
      expect(second.status).to.equal(422);
      expect(second.body.error.details.reasons.join()).to.include(caseNumber);
      // Withdrawn before a decision: the instance is cancelled, the licence free again.
      const withdrawn = await server.request('POST', `/api/v1/applications/${draft.id}/withdraw`, { token: enterprise1 });
      expect(withdrawn.status, withdrawn.text).to.equal(200);
      const instance = await server.running.platform.db.knex('process_instances').where({ key: instances[0].key }).first('state');
      expect(instance.state).to.equal('terminated');
      expect((await server.request('POST', `/api/v1/applications/${draft.id}/withdraw`, { token: enterprise1 })).status).to.equal(200);
      // The same key again answers with the application as it is now, not a stale "submitted".
      const replay = await submitWith(winner);
      expect(replay.status).to.equal(202);
      expect(replay.body).to.deep.equal({ id: draft.id, status: 'withdrawn', caseNumber });
      expect((await changeDraft()).status).to.equal(201);
    });
  });

  describe('the one code', () => {
    it('resumes a draft on another channel for its owner and a clerk of the department, recorded; 404 for anyone else', async () => {
      const { body: draft } = await changeDraft();
      const own = await server.request('GET', `/api/v1/resume/${draft.resumeCode.toLowerCase()}`, { token: enterprise1 });
      expect(own.status).to.equal(200);
      expect(own.body.id).to.equal(draft.id);
      const clerk = await server.request('GET', `/api/v1/resume/${draft.resumeCode}`, { token: await server.login('clerk.health') });
      expect(clerk.status).to.equal(200);
      await server.running.platform.audit.flush();
      const audit = await server.running.platform.db
        .knex('audit_log')
        .where({ action: 'application.resumed-by-code', entity_id: draft.id });
      expect(audit).to.have.length(1);
      for (const user of ['clerk.culture', 'applicant2']) {
        const reply = await server.request('GET', `/api/v1/resume/${draft.resumeCode}`, { token: await server.login(user) });
        expect(reply.status, user).to.equal(404);
      }
      const qr = await server.request('GET', `/api/v1/applications/${draft.id}/qr.png`, { token: enterprise1 });
      expect(qr.status).to.equal(200);
      expect(qr.headers.get('content-type')).to.equal('image/png');
      expect(
        await decodeQr(
          await (
            await fetch(`${server.url}/api/v1/applications/${draft.id}/qr.png`, { headers: { authorization: `Bearer ${enterprise1}` } })
          ).arrayBuffer(),
        ),
      ).to.equal(draft.resumeCode);
    });

    it('moves an online draft to the counter when a clerk of the department resumes it: that clerk may then fill, upload and submit it', async () => {
      const { body: draft } = await changeDraft();
      const clerk = await server.login('clerk.health');
      const before = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: clerk, json: { form: typedChange } });
      expect(before.status, 'not before it is brought to the counter').to.equal(403);
      // An administrator may read it by its code, not take it over.
      const admin = await server.login('admin');
      expect((await server.request('GET', `/api/v1/resume/${draft.resumeCode}`, { token: admin })).body.channel).to.equal('online');
      expect(
        (await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: admin, json: { form: typedChange } })).status,
      ).to.equal(403);

      const resumed = await server.request('GET', `/api/v1/resume/${draft.resumeCode}`, { token: clerk });
      expect(resumed.status).to.equal(200);
      expect(resumed.body.channel).to.equal('counter');
      expect(resumed.body.timeline.at(-1).message).to.equal('卫健窗口凭办事码调取了申请（窗口），转为窗口代办');
      const culture = await server.login('clerk.culture');
      expect(
        (await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: culture, json: { form: typedChange } })).status,
      ).to.equal(404);

      const filled = await server.request('PATCH', `/api/v1/applications/${draft.id}`, { token: clerk, json: { form: typedChange } });
      expect(filled.status, filled.text).to.equal(200);
      expect((await upload(clerk, draft.id, 'HP-13', await png())).status).to.equal(201);
      const submitted = await server.request('POST', `/api/v1/applications/${draft.id}/submit`, {
        token: clerk,
        headers: { 'idempotency-key': `counter-${draft.id}` },
      });
      expect(submitted.status, submitted.text).to.equal(202);
      // Still the enterprise's application, which it follows.
      const own = await server.request('GET', `/api/v1/applications/${draft.id}`, { token: enterprise1 });
      expect(own.body).to.include({ caseNumber: submitted.body.caseNumber, channel: 'counter' });
      await server.running.platform.audit.flush();
      const knex = server.running.platform.db.knex;
      expect((await knex('audit_log').where({ action: 'application.submitted', entity_id: draft.id }).first('actor')).actor).to.equal(
        'clerk.health',
      );
      const resumedAudit = await knex('audit_log')
        .where({ action: 'application.resumed-by-code', entity_id: draft.id, actor: 'clerk.health' })
        .first('data');
      expect(JSON.stringify(resumedAudit.data)).to.include('enterprise1');
      expect((await server.request('POST', `/api/v1/applications/${draft.id}/withdraw`, { token: enterprise1 })).status).to.equal(200);
    });
  });

  describe('a second party', () => {
    it('fills the employee from the registry and the e-licence library once named, and only the employee may confirm', async () => {
      const enterprise3 = await server.login('enterprise3');
      const created = await server.request('POST', '/api/v1/applications', {
        token: enterprise3,
        json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
      });
      expect(created.status, created.text).to.equal(201);
      const id = created.body.id;
      expect(created.body.form.staffName.value).to.equal(null);
      const named = await server.request('PATCH', `/api/v1/applications/${id}`, {
        token: enterprise3,
        json: { form: { staffIdNumber: APPLICANT1_ID, employmentStart: '2026-11-20', contactName: '王敏', contactPhone: '13800001111' } },
      });
      expect(named.status, named.text).to.equal(200);
      expect(named.body.form.staffName).to.deep.equal({ value: '张伟', source: 'registry', locked: true });
      expect(named.body.form.qualificationNumber.source).to.equal('license');
      expect(named.body.form.qualificationCategory.value).to.equal('道路危险货物运输驾驶员');
      expect(named.body.prefill.toType).to.deep.equal([]);
      const submitted = await server.request('POST', `/api/v1/applications/${id}/submit`, {
        token: enterprise3,
        headers: { 'idempotency-key': 'dangerous-goods-0001' },
      });
      expect(submitted.status, submitted.text).to.equal(202);
      const pending = await server.request('GET', '/api/v1/confirmations', { token: applicant1 });
      const mine = pending.body.find((c: any) => c.applicationId === id);
      expect(mine).to.include({ role: '从业人员', requestedBy: '福州顺安危险货物运输有限公司' });
      const stranger = await server.request('POST', `/api/v1/confirmations/${mine.token}`, { token: applicant2, json: { accept: true } });
      expect(stranger.status).to.equal(403);
      const unknown = await server.request('POST', '/api/v1/confirmations/no-such-token', { token: applicant1, json: { accept: true } });
      expect(unknown.status).to.equal(404);
      const accepted = await server.request('POST', `/api/v1/confirmations/${mine.token}`, { token: applicant1, json: { accept: true } });
      expect(accepted.status, accepted.text).to.equal(200);
      const changedMind = await server.request('POST', `/api/v1/confirmations/${mine.token}`, {
        token: applicant1,
        json: { accept: false },
      });
      expect(changedMind.status).to.equal(409);
    });
  });
  describe('licence reads', () => {
    it("lists the caller's own licences, shows one to its holder and to staff, and 404 to anyone else", async () => {
      const own = await server.request('GET', '/api/v1/licenses', { token: enterprise1 });
      expect(own.status).to.equal(200);
      expect(own.body.map((l: any) => l.typeName)).to.include.members(['营业执照', '公共场所卫生许可证', '出版物经营许可证']);
      const hygiene = own.body.find((l: any) => l.typeName === '公共场所卫生许可证');
      expect((await server.request('GET', `/api/v1/licenses/${hygiene.id}`, { token: enterprise1 })).body.identifier).to.match(
        /^1\.2\.156\.3005\.2\./,
      );
      expect((await server.request('GET', `/api/v1/licenses/${hygiene.id}`, { token: applicant2 })).status).to.equal(404);
      expect(
        (await server.request('GET', `/api/v1/licenses/${hygiene.id}`, { token: await server.login('clerk.health') })).status,
      ).to.equal(200);
      expect((await server.request('GET', '/api/v1/licenses?holder=91110000600037341L', { token: applicant2 })).status).to.equal(403);
      const byClerk = await server.request('GET', '/api/v1/licenses?holder=91110000600037341L', {
        token: await server.login('clerk.culture'),
      });
      expect(byClerk.body.length).to.equal(own.body.length);
    });
  });
});
