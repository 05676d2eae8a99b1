import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { idCardPhoto, personRow } from '../../support/documents';
import { startTestServer, type TestServer } from '../../support/server';

const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
const EMPLOYEE_ID = '360426199101010071';
const MB = 2 ** 20;

/**
 * Made in a process of its own, so the memory sharp takes to make them is not counted as the server's: `big.jpg`, a
 * 10,000 × 10,000 photo of a desk with the ID card on it (4,600 pixels wide), a few MB; `huge.jpg`, 4,000 × 4,000 pixels
 * of noise, over the 10 MB upload limit.
 */
const MAKE_IMAGES = `const sharp = require('sharp'); const crypto = require('node:crypto'); const path = require('node:path');
const [card, dir] = process.argv.slice(1);
(async () => {
  const drawn = await sharp(card).resize(4600, null, { kernel: 'cubic' }).png({ compressionLevel: 1 }).toBuffer();
  await sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#b9a98f' } })
    .composite([{ input: drawn, left: 2700, top: 3500 }]).jpeg({ quality: 85 }).toFile(path.join(dir, 'big.jpg'));
  await sharp(crypto.randomBytes(4000 * 4000 * 3), { raw: { width: 4000, height: 4000, channels: 3 } })
    .jpeg({ quality: 95 }).toFile(path.join(dir, 'huge.jpg'));
})().catch((e) => { console.error(e); process.exit(1); });`;

/** Every file under a folder, counted. */
async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

describe('Upload of a 10,000 × 10,000 pixel photo: stored, read scaled down, memory bounded; over the byte limit 413', function () {
  this.timeout(240_000);
  let server: TestServer;
  let dir: string;
  let token: string;
  const knex = () => server.running.platform.db.knex;

  before(async () => {
    server = await startTestServer({ ocrWorkers: 1 });
    token = await server.login('enterprise1');
    dir = await mkdtemp(path.join(os.tmpdir(), 'ocr-large-upload-'));
    const card = path.join(dir, 'card.jpg');
    await writeFile(card, await idCardPhoto(await personRow(knex(), EMPLOYEE_ID)));
    await promisify(execFile)(process.execPath, ['-e', MAKE_IMAGES, card, dir]);
    // The tesseract worker started (by reading the card at its own size), so its start is not counted below.
    expect((await upload(await draft(), await readFile(card))).body.ocr.status).to.equal('done');
  });
  after(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function draft(): Promise<string> {
    const reply = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    expect(reply.status, reply.text).to.equal(201);
    return reply.body.id;
  }
  const upload = (id: string, bytes: Buffer) => {
    const body = new FormData();
    body.append('materialCode', 'DG-02');
    body.append('file', new Blob([new Uint8Array(bytes)]), '身份证.jpg');
    return server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
  };

  it('stores it, reads the ID number and name at upload, the upload costing under 200 MB of memory', async () => {
    const bytes = await readFile(path.join(dir, 'big.jpg'));
    expect(bytes.length).to.be.below(server.running.platform.config.uploadLimitBytes);
    const id = await draft();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const started = performance.now();
    const reply = await upload(id, bytes);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `      ${(bytes.length / MB).toFixed(1)} MB JPEG, 10000×10000: answered in ${Math.round(performance.now() - started)} ms; ` +
        `RSS ${Math.round(before / MB)} MB before, peak ${Math.round(peak / MB)} MB`,
    );
    expect(reply.status, reply.text).to.equal(201);
    expect(reply.body.ocr.status).to.equal('done');
    expect(reply.body.ocr.fields.idNumber.value).to.equal(EMPLOYEE_ID);
    expect(reply.body.ocr.fields.name.value).to.equal('张伟');
    const stored = await knex()('application_materials').where({ application_id: id });
    expect(stored).to.have.length(1);
    expect(Number(stored[0].size)).to.equal(bytes.length);
    // Decoded scaled down (JPEG shrink-on-load): the 300 MB full-size bitmap is never made. The growth is what the
    // upload costs; the whole test process's RSS also holds every suite that ran before it.
    expect(peak - before).to.be.below(200 * MB);
  });

  it('answers 413 to a photo over the byte limit, storing nothing', async () => {
    const bytes = await readFile(path.join(dir, 'huge.jpg'));
    expect(bytes.length).to.be.above(server.running.platform.config.uploadLimitBytes);
    const id = await draft();
    const files = path.join(server.running.platform.config.dataDir, 'files');
    const filesBefore = await countFiles(files);
    const reply = await upload(id, bytes);
    expect(reply.status, reply.text).to.equal(413);
    expect(reply.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    expect(await knex()('application_materials').where({ application_id: id })).to.have.length(0);
    expect(await countFiles(files)).to.equal(filesBefore);
    expect((await stat(path.join(dir, 'huge.jpg'))).size).to.equal(bytes.length);
  });
});
