import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { MaterialReader } from '../../../server/applications/material-reading';
import { OcrPool } from '../../../workers/ocr/index';
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

  it("refuses a PDF over the material's page limit (400), storing nothing", async () => {
    const enterprise2 = await server.login('enterprise2');
    const created = await server.request('POST', '/api/v1/applications', {
      token: enterprise2,
      json: {
        matter: 'public-place-hygiene-permit',
        action: 'apply',
        answers: { venueType: 'accommodation', commitmentMode: 'commit', airConditioning: 'no', agent: 'self' },
      },
    });
    const document = await PDFDocument.create();
    for (let i = 0; i < 300; i++) document.addPage([200, 200]);
    const body = new FormData();
    body.append('materialCode', 'HP-04');
    body.append('file', new Blob([new Uint8Array(await document.save())]), '平面图.pdf');
    const reply = await server.request('POST', `/api/v1/applications/${created.body.id}/materials`, { token: enterprise2, body });
    expect(reply.status).to.equal(400);
    expect(reply.body.error.code).to.equal('PAGE_LIMIT');
    expect(reply.body.error.message).to.include('300页');
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

  it('answers at once with ocr pending when the pool is full, and reads the upload later', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => draft()));
    const image = await blank();
    const replies = await Promise.all(ids.map((id) => upload(id, 'DG-02', image, 'blank.jpg')));
    expect(replies.every((r) => r.status === 201)).to.equal(true);
    const pending = replies.filter((r) => r.body.ocr.pending === true);
    expect(pending.length, 'uploads that found the queue full').to.be.greaterThan(0);
    await eventually(
      () => knex()('application_materials').whereIn('application_id', ids).pluck('ocr_status'),
      (statuses) => statuses.every((s) => s === 'done'),
      60_000,
    );
  });
});
