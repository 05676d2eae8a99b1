import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEALTH, hygienePermit, verifyUrl } from '../test/unit/esign/fixtures';
import { createKeyStore, renderLicense, signPdf, verifyPdf } from '../workers/esign/index';
import { percentile, round, rssSampler } from './support';

/**
 * Licences rendered and signed one after another on one core, as the `esign` worker does: a PDF from the licence
 * record, then the department's PAdES signature. Prints one JSON line. ESIGN_BENCH_N sets the count (default 300).
 */
const n = Number(process.env.ESIGN_BENCH_N ?? 300);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-bench-'));
try {
  const keys = createKeyStore({ devCaDir: dir });
  const signer = await keys.signerFor(HEALTH);
  const trustAnchors = await keys.trustAnchors();
  const licence = (i: number) =>
    hygienePermit({
      holderName: `北京${SURNAMES[i % SURNAMES.length]}记餐饮管理有限公司第${i}分店`,
      number: `京卫公证字〔2026〕第1101010${String(i).padStart(5, '0')}号`,
    });
  const once = async (i: number) => {
    const started = performance.now();
    const pdf = await renderLicense(licence(i), { verifyUrl: verifyUrl(`bench-${i}`), createdAt: new Date() });
    const rendered = performance.now();
    const signed = await signPdf(pdf, signer, { reason: '颁发电子证照', location: '北京市东城区' });
    return { signed, renderMs: rendered - started, totalMs: performance.now() - started };
  };
  for (let i = 0; i < 20; i++) await once(i);

  const peakRss = rssSampler();
  const totals: number[] = [];
  const renders: number[] = [];
  let last: Buffer = Buffer.alloc(0);
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const { signed, renderMs, totalMs } = await once(i);
    totals.push(totalMs);
    renders.push(renderMs);
    last = signed;
  }
  const seconds = (performance.now() - started) / 1000;
  const verifies: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    if (!verifyPdf(last, { trustAnchors }).signatures[0]?.chainTrusted) throw new Error('the benchmark licence does not verify');
    verifies.push(performance.now() - t);
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      licencesPerSecond: round(n / seconds),
      medianMs: round(percentile(sorted(totals), 50), 2),
      p95Ms: round(percentile(sorted(totals), 95), 2),
      renderMedianMs: round(percentile(sorted(renders), 50), 2),
      verifyMedianMs: round(percentile(sorted(verifies), 50), 2),
      pdfBytes: last.length,
      peakRssMb: peakRss(),
      n,
    }) + '\n',
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
