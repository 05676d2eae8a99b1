/**
 * Memory under load: the real server (PGlite unless DATABASE_URL) takes concurrent uploads of ID-card photos from the
 * OCR corpus for a material that is read at upload (a dangerous-goods draft's DG-02, the employee's ID card), while
 * the resident memory of its process (this one) is sampled every 50 ms. Prints one JSON line: uploads, concurrent,
 * answered at once (read before the reply) and pending (the pool's queue was full: read later in the background),
 * seconds until all were read, ID numbers read right, peak RSS against the bound of issue 5 (20 concurrent uploads
 * within 1.5 GB; the exit code is 1 when it is passed), pool size.
 *
 * `npm run bench:ocr-uploads -- [--uploads 20] [--workers N] [--phone]`; `--phone` scales each photo to a 12-megapixel
 * phone photo (4032 pixels on its long side) before uploading it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import sharp from 'sharp';
import { corpusExists, DEFAULT_CORPUS_DIR, generateCorpus, type GroundTruth } from '../test/fixtures/ocr/generate';
import { startTestServer } from '../test/support/server';
import { OCR_POOL_DEFAULTS } from '../workers/ocr/index';
import { percentile, round, rssSampler } from './support';

const DANGEROUS_GOODS = 'dangerous-goods-staff-employer-change';
/** Resident memory allowed, whatever the number of uploads in flight: 1.5 GB. */
const RSS_BOUND_MB = 1536;

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '20' },
    workers: { type: 'string' },
    phone: { type: 'boolean', default: false },
    dir: { type: 'string', default: DEFAULT_CORPUS_DIR },
  },
});
const uploads = Number(values.uploads);

if (!(await corpusExists(values.dir))) {
  process.stderr.write(`generating the OCR corpus in ${values.dir}\n`);
  await generateCorpus({ count: 60, dir: values.dir });
}
/**
 * The photos scaled to 4032 pixels on the long side, in a process of its own: the memory sharp leaves behind here would
 * count as the server's.
 */
async function phonePhotos(files: string[]): Promise<Buffer[]> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'ocr-uploads-'));
  try {
    const script = `const sharp = require('sharp'); const path = require('node:path');
      Promise.all(JSON.parse(process.argv[1]).map((f, i) => sharp(f).resize(4032, 4032, { fit: 'inside', kernel: 'cubic' })
        .jpeg({ quality: 90 }).toFile(path.join(process.argv[2], i + '.jpg')))).catch((e) => { console.error(e); process.exit(1); });`;
    await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(files), out]);
    return await Promise.all(files.map((_, i) => readFile(path.join(out, `${i}.jpg`))));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

// Every ID card of the corpus (clean, scanned, photographed, upside down), taken in turn.
const truths: GroundTruth[] = [];
for (const file of (await readdir(values.dir)).filter((f) => f.endsWith('.json')).sort()) {
  const truth: GroundTruth = JSON.parse(await readFile(path.join(values.dir, file), 'utf8'));
  if (truth.documentType === 'id-card-front') truths.push(truth);
}
if (!truths.length) throw new Error(`no ID card in ${values.dir}`);
const files = truths.map((t) => path.join(values.dir, t.file));
const images = values.phone ? await phonePhotos(files) : await Promise.all(files.map((f) => readFile(f)));
const cards = truths.map((truth, i) => ({ truth, bytes: images[i] }));
const photos = Array.from({ length: uploads }, (_, i) => cards[i % cards.length]);

const server = await startTestServer(values.workers ? { ocrWorkers: Number(values.workers) } : {});
try {
  const knex = server.running.platform.db.knex;
  const poolSize = server.running.platform.config.ocrWorkers;
  const token = await server.login('enterprise1');
  const drafts: string[] = [];
  for (let i = 0; i < uploads; i++) {
    const reply = await server.request('POST', '/api/v1/applications', {
      token,
      json: { matter: DANGEROUS_GOODS, action: 'apply', answers: { staffCategory: 'driver', certificateOrigin: 'local' } },
    });
    if (reply.status !== 201) throw new Error(`draft: ${reply.status} ${reply.text}`);
    drafts.push(reply.body.id);
  }
  const rssBefore = process.memoryUsage().rss;
  const peakRss = rssSampler();
  const started = performance.now();
  const replies = await Promise.all(
    drafts.map(async (id, i) => {
      const body = new FormData();
      body.append('materialCode', 'DG-02');
      body.append('file', new Blob([new Uint8Array(photos[i].bytes)], { type: 'image/jpeg' }), `身份证-${i}.jpg`);
      const reply = await server.request('POST', `/api/v1/applications/${id}/materials`, { token, body });
      return { reply, seconds: (performance.now() - started) / 1000 };
    }),
  );
  const refused = replies.filter((r) => r.reply.status !== 201);
  if (refused.length) throw new Error(`uploads refused: ${refused.map((r) => `${r.reply.status} ${r.reply.text}`).join('; ')}`);
  const pending = replies.filter((r) => r.reply.body.ocr?.pending === true).length;
  // The pending ones are read by the server's background drain (every 3 s): wait until every upload has its reading.
  let rows: { application_id: string; ocr_status: string; ocr: unknown }[] = [];
  for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    rows = await knex('application_materials').whereIn('application_id', drafts).whereNull('replaced_at');
    if (rows.length === uploads && rows.every((r) => r.ocr_status === 'done' || r.ocr_status === 'failed')) break;
  }
  const allRead = (performance.now() - started) / 1000;
  const peak = peakRss();
  const readingOf = (row: (typeof rows)[number]) =>
    (typeof row.ocr === 'string' ? JSON.parse(row.ocr) : row.ocr) as { fields?: Record<string, { value: string }> } | null;
  const idNumbersRead = drafts.filter((id, i) => {
    const row = rows.find((r) => r.application_id === id);
    return row && readingOf(row)?.fields?.idNumber?.value === photos[i].truth.fields.idNumber;
  }).length;
  const replySeconds = replies.map((r) => r.seconds).sort((a, b) => a - b);
  const sizes = await Promise.all(cards.map(async (c) => (await sharp(c.bytes).metadata()).width ?? 0));
  console.log(
    JSON.stringify({
      uploads,
      concurrent: uploads,
      answeredAtOnce: uploads - pending,
      pending,
      failed: rows.filter((r) => r.ocr_status === 'failed').length,
      ...(rows.some((r) => r.ocr_status === 'failed')
        ? { failures: [...new Set(rows.filter((r) => r.ocr_status === 'failed').map((r) => (readingOf(r) as { note?: string })?.note))] }
        : {}),
      idNumbersRead,
      secondsUntilAllRead: round(allRead, 2),
      replySeconds: { median: round(percentile(replySeconds, 50), 2), max: round(replySeconds[replySeconds.length - 1], 2) },
      rssBeforeMb: round(rssBefore / 1024 / 1024),
      peakRssMb: peak,
      rssBoundMb: RSS_BOUND_MB,
      withinBound: peak <= RSS_BOUND_MB,
      poolSize,
      maxQueue: poolSize * OCR_POOL_DEFAULTS.queuePerWorker,
      photos: { distinct: cards.length, widths: [Math.min(...sizes), Math.max(...sizes)], phone: values.phone },
      database: server.database.kind,
    }),
  );
  if (peak > RSS_BOUND_MB) process.exitCode = 1;
} finally {
  await server.close();
}
