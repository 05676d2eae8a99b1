import { expect } from 'chai';
import crypto from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { LOW_CONFIDENCE, MAX_READ_ATTEMPTS, MaterialReader, readCase, RETRY_AFTER_MS } from '../../../server/applications/material-reading';
import { DEFAULT_PDF_PAGE_LIMIT } from '../../../server/matters/schema';
import { OcrPool } from '../../../workers/ocr/index';
import { SUBSET_DIR } from '../../fixtures/ocr/generate';
import { idCardPhoto, personRow } from '../../support/documents';
import { eventually } from '../../support/engine';
import { startTestServer, type TestServer } from '../../support/server';

const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
const APPLICANT1_ID = '360426199101010071';

describe('Materials read with OCR at upload (real pool, real server)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let enterprise1: string;

  before(async () => {
    // One tesseract worker: the bounded queue fills with a handful of uploads.
    server = await startTestServer({ ocrWorkers: 1 });
    enterprise1 = await server.login('enterprise1');
  });
  after(() => server?.close());

  const knex = () => server.running.platform.db.knex;
  const draft = async () => {
    const reply = await server.request('POST', '/api/v1/applications', {
      token: enterprise1,
      json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    expect(reply.status, reply.text).to.equal(201);
    return reply.body.id as string;
  };
  const upload = (id: string, materialCode: string, bytes: Buffer | Uint8Array, name: string) => {
    const body = new FormData();
    body.append('materialCode', materialCode);
    body.append('file', new Blob([new Uint8Array(bytes)]), name);
    return server.request('POST', `/api/v1/applications/${id}/materials`, { token: enterprise1, body });
  };
  const blank = () =>
    sharp({ create: { width: 800, height: 500, channels: 3, background: '#f4f1ea' } })
      .jpeg()
      .toBuffer();

  it("reads the employee's ID card and fills the empty fields it maps to, as ocr", async () => {
    const id = await draft();
    const photo = await idCardPhoto(await personRow(knex(), APPLICANT1_ID));
    const reply = await upload(id, 'DG-02', photo, '身份证.jpg');
    expect(reply.status, reply.text).to.equal(201);
    expect(reply.body.ocr.status).to.equal('done');
    expect(reply.body.ocr.fields.idNumber.value).to.equal(APPLICANT1_ID);
    expect(reply.body.ocr.fields.name.value).to.equal('张伟');
    expect(reply.body.appliedToForm).to.have.members(['staffName', 'staffIdNumber']);
    const view = await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 });
    expect(view.body.form.staffIdNumber).to.deep.equal({ value: APPLICANT1_ID, source: 'ocr', locked: false });
    expect(view.body.materials.find((m: any) => m.code === 'DG-02').handedIn.ocr.status).to.equal('done');
  });

  it('stores an image with no text, with no fields and a note', async () => {
    const id = await draft();
    const reply = await upload(id, 'DG-02', await blank(), 'blank.jpg');
    expect(reply.status, reply.text).to.equal(201);
    expect(reply.body.ocr.fields).to.deep.equal({});
    expect(reply.body.ocr.note).to.be.a('string').and.match(/识别/);
    expect(reply.body.appliedToForm).to.deep.equal([]);
  });

  it('refuses a corrupt JPEG and a password-protected PDF (400 naming the problem), storing nothing', async () => {
    const id = await draft();
    const jpeg = await idCardPhoto(await personRow(knex(), APPLICANT1_ID));
    const truncated = await upload(id, 'DG-02', jpeg.subarray(0, Math.floor(jpeg.length / 3)), 'cut.jpg');
    expect(truncated.status).to.equal(400);
    expect(truncated.body.error.code).to.equal('FILE_DAMAGED');
    const document = await PDFDocument.create();
    document.addPage();
    const plain = Buffer.from(await document.save({ useObjectStreams: false }));
    const encrypted = Buffer.from(
      plain.toString('latin1').replace('trailer\n<<', 'trailer\n<<\n/Encrypt << /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>'),
      'latin1',
    );
    const locked = await upload(id, 'DG-02', encrypted, 'locked.pdf');
    expect(locked.status, locked.text).to.equal(400);
    expect(locked.body.error.code).to.equal('PDF_ENCRYPTED');
    const stored = await knex()('application_materials').where({ application_id: id });
    expect(stored).to.have.length(0);
  });

  const pdfOf = async (pages: number) => {
    const document = await PDFDocument.create();
    for (let i = 0; i < pages; i++) document.addPage([200, 200]);
    return Buffer.from(await document.save());
  };
  const storedFiles = async () => {
    const entries = await readdir(path.join(server.running.platform.config.dataDir, 'files'), { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).length;
  };

  it('states a page limit for every material that takes PDF in the guide: its own, else the default of 20 pages', async () => {
    const guide = await server.request('GET', `/api/v1/matters/${DANGEROUS_GOODS}`);
    const dg02 = guide.body.materials.find((m: { code: string }) => m.code === 'DG-02');
    expect(dg02.pageLimit).to.equal(DEFAULT_PDF_PAGE_LIMIT);
    const hygiene = await server.request('GET', '/api/v1/matters/public-place-hygiene-permit');
    const limits = Object.fromEntries(hygiene.body.materials.map((m: { code: string; pageLimit?: number }) => [m.code, m.pageLimit]));
    expect(limits['HP-04']).to.equal(10);
    expect(limits['HP-06']).to.equal(30);
    for (const matter of [guide.body, hygiene.body])
      for (const material of matter.materials as { code: string; fileTypes: string[]; pageLimit?: number }[])
        if (material.fileTypes.includes('pdf')) expect(material.pageLimit, material.code).to.be.a('number');
  });

  it('refuses a 300-page PDF on a material with no limit of its own (400 naming the default limit), storing nothing', async () => {
    const id = await draft();
    const bytes = await pdfOf(300);
    const filesBefore = await storedFiles();
    const reply = await upload(id, 'DG-02', bytes, '身份证.pdf');
    expect(reply.status, reply.text).to.equal(400);
    expect(reply.body.error.code).to.equal('PAGE_LIMIT');
    expect(reply.body.error.message).to.include('300页').and.include(`${DEFAULT_PDF_PAGE_LIMIT}页的上限`);
    expect(await knex()('application_materials').where({ application_id: id })).to.have.length(0);
    expect(await storedFiles()).to.equal(filesBefore);
    expect(await server.running.platform.storage.has(crypto.createHash('sha256').update(bytes).digest('hex'))).to.equal(false);
  });

  it("keeps a material's own page limit over the default: below it refused, above the default taken", async () => {
    const enterprise2 = await server.login('enterprise2');
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise2,
      json: {
        matter: 'public-place-hygiene-permit',
        action: 'apply',
        answers: { venueType: 'accommodation', commitmentMode: 'commit', airConditioning: 'no', agent: 'self' },
      },
    });
    expect(created.status, created.text).to.equal(201);
    const send = async (materialCode: string, bytes: Buffer, name: string) => {
      const body = new FormData();
      body.append('materialCode', materialCode);
      body.append('file', new Blob([new Uint8Array(bytes)]), name);
      return server.request('POST', `/api/v1/applications/${created.body.id}/materials`, { token: enterprise2, body });
    };
    const filesBefore = await storedFiles();
    const refused = await send('HP-04', await pdfOf(12), '平面图.pdf');
    expect(refused.status, refused.text).to.equal(400);
    expect(refused.body.error.code).to.equal('PAGE_LIMIT');
    expect(refused.body.error.message).to.include('12页').and.include('10页的上限');
    expect(await knex()('application_materials').where({ application_id: created.body.id })).to.have.length(0);
    expect(await storedFiles()).to.equal(filesBefore);
    const taken = await send('HP-06', await pdfOf(25), '卫生管理制度.pdf');
    expect(taken.status, taken.text).to.equal(201);
  });

  it('a reading that waits for the pool (the background drain, the ocr job) waits out a full queue, never taken for a failure', async () => {
    // bench/ocr-uploads.ts: with 20 uploads at once the drain met the queue filled by new uploads and marked 4 readings failed.
    const id = await draft();
    expect((await upload(id, 'DG-02', await blank(), 'blank.jpg')).status).to.equal(201);
    const material = await knex()('application_materials').where({ application_id: id }).first();
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    // One worker, no queue: while it is busy every other job is refused with OcrQueueFull.
    const pool = new OcrPool({
      size: 1,
      maxQueue: 0,
      startEngine: async () => ({
        recognize: async () => (await busy, { text: '', confidence: 0, lines: [] }),
        terminate: async () => {},
      }),
    });
    const { storage, matters, log } = server.running.platform;
    const reader = new MaterialReader({ knex: knex(), storage, matters, log, pool });
    const occupying = pool.submit((engine) => engine.recognize(Buffer.alloc(0)));
    setTimeout(release, 600);
    const outcome = await reader.read(material, reader.specOf({ matter_slug: DANGEROUS_GOODS }, 'DG-02')!, { wait: true });
    expect(outcome.status).to.equal('done');
    await occupying;
    await pool.close();
  });

  it('answers at once with ocr pending when the pool is full, and the fields of the ID card arrive on the draft later, as ocr', async () => {
    const truth = JSON.parse(await readFile(path.join(SUBSET_DIR, 'id-card-front-clean.json'), 'utf8'));
    const card = await readFile(path.join(SUBSET_DIR, truth.file));
    // One worker and four places in its queue: of seven uploads at once, at least two find the queue full.
    const ids = await Promise.all(Array.from({ length: 7 }, () => draft()));
    const replies = await Promise.all(ids.map((id) => upload(id, 'DG-02', card, '身份证.jpg')));
    expect(replies.map((r) => r.status)).to.deep.equal(ids.map(() => 201));
    const pending = ids.filter((_, i) => replies[i].body.ocr.pending === true);
    expect(pending.length, 'uploads that found the queue full').to.be.greaterThan(0);
    for (const id of pending) {
      const form = (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 })).body.form;
      expect(form.staffIdNumber.value, 'nothing filled before the reading').to.not.equal(truth.fields.idNumber);
    }
    await eventually(
      () => knex()('application_materials').whereIn('application_id', pending).pluck('ocr_status'),
      (statuses) => statuses.every((s) => s === 'done'),
      180_000,
    );
    for (const id of pending) {
      const view = (await server.request('GET', `/api/v1/applications/${id}`, { token: enterprise1 })).body;
      expect(view.form.staffIdNumber).to.deep.equal({ value: truth.fields.idNumber, source: 'ocr', locked: false });
      expect(view.form.staffName).to.deep.equal({ value: truth.fields.name, source: 'ocr', locked: false });
      expect(view.materials.find((m: { code: string }) => m.code === 'DG-02').handedIn.ocr.status).to.equal('done');
    }
  });

  it("the ocr job's lowConfidence names the form field whose reading fails its check digit, and only the uncertain ones", async () => {
    const id = await draft();
    const person = await personRow(knex(), APPLICANT1_ID);
    // The card printed with a wrong check digit: no misreading explains it, so the reading is flagged, never filled in.
    const wrong = `${APPLICANT1_ID.slice(0, 17)}${APPLICANT1_ID[17] === '2' ? '3' : '2'}`;
    const reply = await upload(id, 'DG-02', await idCardPhoto({ ...person, id_number: wrong }), '身份证.jpg');
    expect(reply.status, reply.text).to.equal(201);
    expect(reply.body.ocr.fields.idNumber).to.have.property('flagged');
    expect(reply.body.appliedToForm).to.not.include('staffIdNumber');
    const output = await readCase(server.running.platform.reader, knex(), id);
    expect(output).to.not.equal('unknown-application');
    const { materials, lowConfidence } = output as Exclude<typeof output, string>;
    expect(materials).to.equal(1);
    expect(lowConfidence).to.include('staffIdNumber');
    const fields = reply.body.ocr.fields as Record<string, { confidence: number; flagged?: string }>;
    const uncertain = (name: string) => Boolean(fields[name]?.flagged) || fields[name]?.confidence < LOW_CONFIDENCE;
    expect(lowConfidence).to.have.members(
      Object.entries({ name: 'staffName', idNumber: 'staffIdNumber' })
        .filter(([read]) => fields[read] && uncertain(read))
        .map(([, form]) => form),
    );
  });
});

describe('A reading that times out or crashes at upload keeps the upload and is read again (real server)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let token: string;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    // A time limit no reading can meet: every reading at upload times out.
    server = await startTestServer({ ocrWorkers: 1, ocrTimeoutMs: 1 });
    // Its background pass would read them again with the same time limit: the tests read them with readers of their own.
    await server.running.platform.reader.stop();
    token = await server.login('enterprise1');
  });
  after(() => server?.close());

  const draftWithCard = async () => {
    const created = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    expect(created.status, created.text).to.equal(201);
    const photo = await idCardPhoto(await personRow(knex(), APPLICANT1_ID));
    const body = new FormData();
    body.append('materialCode', 'DG-02');
    body.append('file', new Blob([new Uint8Array(photo)]), '身份证.jpg');
    const reply = await server.request('POST', `/api/v1/applications/${created.body.id}/materials`, { token, body });
    return { id: created.body.id as string, photo, reply };
  };
  const readerWith = (pool: OcrPool) => {
    const { storage, matters, log } = server.running.platform;
    return new MaterialReader({ knex: knex(), storage, matters, log, pool });
  };

  it('stores the upload, marks its reading failed, and the ocr job reads it again and fills the draft', async () => {
    const { id, photo, reply } = await draftWithCard();
    expect(reply.status, reply.text).to.equal(201);
    expect(reply.body.ocr).to.include({ status: 'failed', retryable: true });
    expect(reply.body.ocr.note).to.match(/识别超时.*稍后将重新识别/);
    const [row] = await knex()('application_materials').where({ application_id: id });
    expect(row).to.include({ ocr_status: 'failed', ocr_attempts: 1, sha256: crypto.createHash('sha256').update(photo).digest('hex') });
    expect(await server.running.platform.storage.has(row.sha256)).to.equal(true);

    // The ocr job of the process, with a pool that keeps to its time: the failed reading is read again.
    const pool = new OcrPool({ size: 1 });
    try {
      const output = await readCase(readerWith(pool), knex(), id);
      expect(output).to.deep.include({ materials: 1 });
    } finally {
      await pool.close();
    }
    const reread = await knex()('application_materials').where({ id: row.id }).first();
    expect(reread).to.include({ ocr_status: 'done', ocr_attempts: 2 });
    const view = (await server.request('GET', `/api/v1/applications/${id}`, { token })).body;
    expect(view.form.staffIdNumber).to.deep.equal({ value: APPLICANT1_ID, source: 'ocr', locked: false });
  });

  it('should NOT read a crashing material forever: the ocr job tries until three attempts, then it stays unreadable with a note', async () => {
    const { id, reply } = await draftWithCard();
    expect(reply.body.ocr.status).to.equal('failed');
    let starts = 0;
    const crashing = new OcrPool({
      size: 1,
      startEngine: async () => {
        starts++;
        return {
          recognize: async () => {
            throw new Error('tesseract worker exited');
          },
          terminate: async () => {},
        };
      },
    });
    const reader = readerWith(crashing);
    try {
      await readCase(reader, knex(), id);
      const row = await knex()('application_materials').where({ application_id: id }).first();
      expect(row).to.include({ ocr_status: 'failed', ocr_attempts: MAX_READ_ATTEMPTS });
      expect(row.ocr.note).to.equal('无法识别：识别程序出错');
      expect(starts).to.be.greaterThan(0);
      // Spent: neither the job nor the background pass, however late, reads it again.
      await knex()('application_materials')
        .where({ id: row.id })
        .update({ ocr_read_at: new Date(Date.now() - RETRY_AFTER_MS * 10) });
      expect(await reader.drain(id)).to.equal(0);
      expect(await reader.drain()).to.equal(0);
      expect((await knex()('application_materials').where({ id: row.id }).first()).ocr_attempts).to.equal(MAX_READ_ATTEMPTS);
    } finally {
      await crashing.close();
    }
  });

  it('the background pass reads a failed reading again only once it has waited', async () => {
    const { id } = await draftWithCard();
    const pool = new OcrPool({ size: 1 });
    const reader = readerWith(pool);
    try {
      const row = await knex()('application_materials').where({ application_id: id }).first();
      expect(row.ocr_status).to.equal('failed');
      await reader.drain();
      expect((await knex()('application_materials').where({ id: row.id }).first()).ocr_attempts, 'too soon').to.equal(1);
      await knex()('application_materials')
        .where({ id: row.id })
        .update({ ocr_read_at: new Date(Date.now() - RETRY_AFTER_MS - 1000) });
      await reader.drain();
      expect(await knex()('application_materials').where({ id: row.id }).first()).to.include({ ocr_status: 'done', ocr_attempts: 2 });
    } finally {
      await pool.close();
    }
  });
});
