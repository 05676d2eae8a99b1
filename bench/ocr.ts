import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { corpusExists, DEFAULT_CORPUS_DIR, generateCorpus, type GroundTruth } from '../test/fixtures/ocr/generate';
import { OcrPool, readDocument } from '../workers/ocr/index';

/**
 * Reads the generated corpus (made first when missing) with a pool the size of the machine, as many images in
 * flight as workers, and prints one JSON line: exact-match accuracy per document type and field, over every image and
 * over the degraded ones alone (scans and photos, which the targets of issue 5 are about) with the targets met or not,
 * and median and p95 seconds per image. `npm run bench:ocr -- [--count N] [--dir D] [--pool N] [--details]`: `--count`
 * reads the first N images (the corpus cycles through the document types and conditions).
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
for (const file of (await readdir(values.dir))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .slice(0, Number(values.count))) {
  truths.push(JSON.parse(await readFile(path.join(values.dir, file), 'utf8')));
}

/** Exact-match targets over the degraded corpus: identifiers after check-digit repair, names and addresses. */
const TARGETS = [
  { group: 'identifiers', fields: ['idNumber', 'uscc'], atLeast: 0.97 },
  { group: 'names', fields: ['name', 'holderName', 'legalRepresentative'], atLeast: 0.93 },
  { group: 'addresses', fields: ['address'], atLeast: 0.93 },
] as const;

const pool = new OcrPool({ size: values.pool ? Number(values.pool) : undefined, maxQueue: truths.length });
const startedAt = performance.now();
await pool.warmUp();
const warmUpMs = performance.now() - startedAt;
const seconds: number[] = [];
const tally: Record<string, Record<string, { right: number; total: number }>> = {};
const degradedTally: Record<string, Record<string, { right: number; total: number }>> = {};
const degradedSeconds: number[] = [];
const byCondition: Record<string, { right: number; total: number }> = {};
let classified = 0;
let next = 0;

async function lane(): Promise<void> {
  while (next < truths.length) {
    const truth = truths[next++];
    const bytes = await readFile(path.join(values.dir, truth.file));
    const result = await readDocument(bytes, { pool });
    seconds.push(result.ms / 1000);
    const degraded = truth.degradation.condition !== 'clean';
    if (degraded) degradedSeconds.push(result.ms / 1000);
    if (result.documentType === truth.documentType) classified++;
    const fields = (tally[truth.documentType] ??= {});
    const degradedFields = degraded ? (degradedTally[truth.documentType] ??= {}) : undefined;
    const condition = (byCondition[truth.degradation.condition] ??= { right: 0, total: 0 });
    for (const [name, expected] of Object.entries(truth.fields)) {
      const right = result.fields[name]?.value === expected;
      const counts = [
        (fields[name] ??= { right: 0, total: 0 }),
        condition,
        ...(degradedFields ? [(degradedFields[name] ??= { right: 0, total: 0 })] : []),
      ];
      for (const t of counts) {
        t.total++;
        if (right) t.right++;
      }
      if (!right && values.details) {
        process.stderr.write(`${truth.file} ${name}: expected ${expected}, read ${JSON.stringify(result.fields[name] ?? null)}\n`);
      }
    }
  }
}
await Promise.all(Array.from({ length: pool.size }, () => lane()));
const wallMs = performance.now() - startedAt - warmUpMs;
await pool.close();

type Count = { right: number; total: number };
const ratio = (t: Count) => (t.total ? Math.round((t.right / t.total) * 1000) / 1000 : null);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 1000) / 1000 : null;
};
const sum = (counts: Count[]) => counts.reduce((s, t) => ({ right: s.right + t.right, total: s.total + t.total }), { right: 0, total: 0 });
const all = Object.values(tally).flatMap((f) => Object.values(f));
const perField = (counts: typeof tally) =>
  Object.fromEntries(
    Object.entries(counts).map(([type, fields]) => [type, Object.fromEntries(Object.entries(fields).map(([f, t]) => [f, ratio(t)]))]),
  );
const targets = TARGETS.map(({ group, fields, atLeast }) => {
  const t = sum(
    Object.values(degradedTally).flatMap((f) =>
      Object.entries(f)
        .filter(([name]) => (fields as readonly string[]).includes(name))
        .map(([, c]) => c),
    ),
  );
  const accuracy = ratio(t);
  return { group, fields, fieldsRead: t.total, accuracy, atLeast, met: accuracy !== null && accuracy >= atLeast };
});
console.log(
  JSON.stringify({
    images: truths.length,
    degradedImages: degradedSeconds.length,
    poolSize: pool.size,
    medianSeconds: quantile(seconds, 0.5),
    p95Seconds: quantile(seconds, 0.95),
    degraded: {
      medianSeconds: quantile(degradedSeconds, 0.5),
      p95Seconds: quantile(degradedSeconds, 0.95),
      targets,
      accuracy: perField(degradedTally),
    },
    imagesPerSecond: Math.round((truths.length / wallMs) * 100000) / 100,
    classified: ratio({ right: classified, total: truths.length }),
    fieldAccuracy: ratio(sum(all)),
    byCondition: Object.fromEntries(Object.entries(byCondition).map(([c, t]) => [c, ratio(t)])),
    accuracy: perField(tally),
  }),
);
