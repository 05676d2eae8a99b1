import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusExists, DEFAULT_CORPUS_DIR, generateCorpus, type GroundTruth } from '../test/fixtures/ocr/generate';
import { OcrPool, readDocument } from '../workers/ocr/index';

/**
 * Reads the generated corpus (made first when missing) with a pool the size of the machine, as many images in
 * flight as workers, and prints one JSON line: exact-match accuracy per document type and field, seconds per image.
 */
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: DEFAULT_CORPUS_DIR },
    count: { type: 'string', default: '60' },
    pool: { type: 'string' },
    details: { type: 'boolean', default: false },
  },
});

if (!(await corpusExists(values.dir))) {
  process.stderr.write(`generating ${values.count} images in ${values.dir}\n`);
  await generateCorpus({ count: Number(values.count), dir: values.dir });
}
const truths: GroundTruth[] = [];
for (const file of (await readdir(values.dir)).filter((f) => f.endsWith('.json')).sort()) {
  truths.push(JSON.parse(await readFile(path.join(values.dir, file), 'utf8')));
}

const pool = new OcrPool({ size: values.pool ? Number(values.pool) : undefined, maxQueue: truths.length });
const startedAt = performance.now();
await pool.warmUp();
const warmUpMs = performance.now() - startedAt;
const seconds: number[] = [];
const tally: Record<string, Record<string, { right: number; total: number }>> = {};
const byCondition: Record<string, { right: number; total: number }> = {};
let classified = 0;
let next = 0;

async function lane(): Promise<void> {
  while (next < truths.length) {
    const truth = truths[next++];
    const bytes = await readFile(path.join(values.dir, truth.file));
    const result = await readDocument(bytes, { pool });
    seconds.push(result.ms / 1000);
    if (result.documentType === truth.documentType) classified++;
    const fields = (tally[truth.documentType] ??= {});
    const condition = (byCondition[truth.degradation.condition] ??= { right: 0, total: 0 });
    for (const [name, expected] of Object.entries(truth.fields)) {
      const right = result.fields[name]?.value === expected;
      const t = (fields[name] ??= { right: 0, total: 0 });
      t.total++;
      condition.total++;
      if (right) {
        t.right++;
        condition.right++;
      } else if (values.details) {
        process.stderr.write(`${truth.file} ${name}: expected ${expected}, read ${JSON.stringify(result.fields[name] ?? null)}\n`);
      }
    }
  }
}
await Promise.all(Array.from({ length: pool.size }, () => lane()));
const wallMs = performance.now() - startedAt - warmUpMs;
await pool.close();

const ratio = (t: { right: number; total: number }) => Math.round((t.right / t.total) * 1000) / 1000;
const sorted = [...seconds].sort((a, b) => a - b);
const quantile = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 1000) / 1000;
const all = Object.values(tally).flatMap((f) => Object.values(f));
console.log(
  JSON.stringify({
    images: truths.length,
    poolSize: pool.size,
    medianSeconds: quantile(0.5),
    p95Seconds: quantile(0.95),
    imagesPerSecond: Math.round((truths.length / wallMs) * 100000) / 100,
    classified: ratio({ right: classified, total: truths.length }),
    fieldAccuracy: ratio({ right: all.reduce((s, t) => s + t.right, 0), total: all.reduce((s, t) => s + t.total, 0) }),
    byCondition: Object.fromEntries(Object.entries(byCondition).map(([c, t]) => [c, ratio(t)])),
    accuracy: Object.fromEntries(
      Object.entries(tally).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields).map(([f, t]) => [f, ratio(t)]))]),
    ),
  }),
);
